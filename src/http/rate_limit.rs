//! Limits on sign-in and sign-up attempts, per account and per client address (governor's GCRA).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Config;
use crate::error::AppError;

/// The window the configured attempt counts apply to.
const WINDOW: Duration = Duration::from_secs(15 * 60);

pub struct RateLimits {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

/// `attempts` at once, then one more every `WINDOW / attempts`.
fn quota(attempts: u32) -> Quota {
    let attempts = NonZeroU32::new(attempts.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(WINDOW / attempts.get())
        .unwrap_or(Quota::per_minute(attempts))
        .allow_burst(attempts)
}

impl RateLimits {
    pub fn new(config: &Config) -> Self {
        Self {
            per_account: RateLimiter::keyed(quota(config.login_attempts_per_account)),
            per_address: RateLimiter::keyed(quota(config.login_attempts_per_address)),
        }
    }

    /// Counts one attempt from `address`, on `account` if given; 429 when either is exhausted.
    pub fn check(&self, address: IpAddr, account: Option<&str>) -> Result<(), AppError> {
        let now = DefaultClock::default().now();
        self.per_address
            .check_key(&address)
            .map_err(|not_until| AppError::RateLimited {
                retry_after: not_until.wait_time_from(now),
            })?;
        if let Some(account) = account {
            self.per_account
                .check_key(&account.trim().to_lowercase())
                .map_err(|not_until| AppError::RateLimited {
                    retry_after: not_until.wait_time_from(now),
                })?;
        }
        Ok(())
    }

    /// Forgets keys whose limits are fully replenished (run periodically to bound memory).
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}
