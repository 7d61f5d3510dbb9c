//! Timing, memory and input helpers the benchmark programs share.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The shared data folder, relative to the project.
pub const DATA: &str = "../shared/data";

/// The shared data folder when every file named is in it; otherwise `None`, after printing which
/// file is absent and what skips for want of it.
pub fn shared_data(files: &[&str], what: &str) -> Option<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA);
    for file in files {
        if !data.join(file).exists() {
            println!(
                "{what}: skipped, {} is absent (see {DATA}/README.md)\n",
                data.join(file).display()
            );
            return None;
        }
    }
    Some(data)
}

/// The value at `fraction` (0.5 for the median, 0.99 for p99) of sorted durations.
pub fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (fraction * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Milliseconds with two decimals, as a table cell.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1_000.0)
}

/// The process's peak resident memory in MiB (Linux), or "n/a".
pub fn peak_memory_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(|| "n/a".into(), |kb| format!("{}", kb / 1024))
}
