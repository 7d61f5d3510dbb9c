//! Brute-force protection for sign-in and sign-up.
//!
//! Sign-in counts *failures* per account and per client address in a sliding 15-minute window: a
//! user who signs in successfully many times is never locked out, an attacker guessing passwords is
//! (and a correct password does not get through while locked). A success clears the account's
//! failures. Sign-ups are costly (a password hash) and count every attempt per address.
//! governor and similar crates limit request *rates*; counting only failures needs this small log.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::AppError;

/// The window the configured counts apply to.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Events per key within the window, oldest first.
struct EventLog<K> {
    limit: usize,
    events: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K: Eq + Hash + Clone> EventLog<K> {
    fn new(limit: u32) -> Self {
        Self {
            limit: limit.max(1) as usize,
            events: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, VecDeque<Instant>>> {
        // A panic while holding the lock cannot leave the map inconsistent; keep using it.
        self.events
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `Err(wait)` when the key used up its events in the window.
    fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let mut events = self.lock();
        let Some(log) = events.get_mut(key) else {
            return Ok(());
        };
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            log.pop_front();
        }
        match log.front() {
            Some(oldest) if log.len() >= self.limit => Err(WINDOW - now.duration_since(*oldest)),
            _ => Ok(()),
        }
    }

    fn record(&self, key: &K, now: Instant) {
        self.lock().entry(key.clone()).or_default().push_back(now);
    }

    fn clear(&self, key: &K) {
        self.lock().remove(key);
    }

    fn forget_idle(&self, now: Instant) {
        self.lock()
            .retain(|_, log| log.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
    }
}

pub struct RateLimits {
    failures_per_account: EventLog<String>,
    failures_per_address: EventLog<IpAddr>,
    signups_per_address: EventLog<IpAddr>,
}

fn limited(wait: Duration) -> AppError {
    AppError::RateLimited { retry_after: wait }
}

fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl RateLimits {
    pub fn new(config: &Config) -> Self {
        Self {
            failures_per_account: EventLog::new(config.login_failures_per_account),
            failures_per_address: EventLog::new(config.login_failures_per_address),
            signups_per_address: EventLog::new(config.signups_per_address),
        }
    }

    /// Before checking a password: 429 if the account or the address failed too often.
    pub fn check_login(&self, address: IpAddr, email: &str) -> Result<(), AppError> {
        let now = Instant::now();
        self.failures_per_address
            .check(&address, now)
            .map_err(limited)?;
        self.failures_per_account
            .check(&account_key(email), now)
            .map_err(limited)
    }

    pub fn login_failed(&self, address: IpAddr, email: &str) {
        let now = Instant::now();
        self.failures_per_address.record(&address, now);
        self.failures_per_account.record(&account_key(email), now);
    }

    pub fn login_succeeded(&self, email: &str) {
        self.failures_per_account.clear(&account_key(email));
    }

    /// Counts a sign-up attempt; 429 past the limit.
    pub fn signup(&self, address: IpAddr) -> Result<(), AppError> {
        let now = Instant::now();
        self.signups_per_address
            .check(&address, now)
            .map_err(limited)?;
        self.signups_per_address.record(&address, now);
        Ok(())
    }

    /// Drops keys with no event in the window (run periodically to bound memory).
    pub fn forget_idle(&self) {
        let now = Instant::now();
        self.failures_per_account.forget_idle(now);
        self.failures_per_address.forget_idle(now);
        self.signups_per_address.forget_idle(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_count_and_the_window_slides() {
        let log = EventLog::new(3);
        let start = Instant::now();
        for n in 0..3 {
            assert!(log.check(&"a", start + Duration::from_secs(n)).is_ok());
            log.record(&"a", start + Duration::from_secs(n));
        }
        let wait = log
            .check(&"a", start + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(
            wait,
            WINDOW - Duration::from_secs(10),
            "until the oldest failure expires"
        );
        assert!(log.check(&"b", start).is_ok(), "keys are independent");
        assert!(
            log.check(&"a", start + WINDOW).is_ok(),
            "the oldest left the window"
        );
        log.clear(&"a");
        assert!(log.check(&"a", start + Duration::from_secs(11)).is_ok());
    }
}
