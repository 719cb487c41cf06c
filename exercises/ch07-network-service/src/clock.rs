//! Given code: converting between the server's clock and Unix time.
//!
//! Expiry runs on `tokio::time::Instant` (so the tests can pause time), but
//! `EXPIREAT`, `SET ... PXAT` and the append-only file speak Unix
//! milliseconds. A `Clock` pins one instant to one Unix time at start-up
//! and converts between the two.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

#[derive(Clone, Copy, Debug)]
pub struct Clock {
    base: Instant,
    base_unix_ms: u64,
}

impl Clock {
    /// Pins `Instant::now()` to the system's current Unix time.
    pub fn start() -> Clock {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Clock {
            base: Instant::now(),
            base_unix_ms: since_epoch.as_millis() as u64,
        }
    }

    /// Pins `Instant::now()` to a given Unix time (tests).
    pub fn starting_at(unix_ms: u64) -> Clock {
        Clock {
            base: Instant::now(),
            base_unix_ms: unix_ms,
        }
    }

    /// The Unix time of `at`, in milliseconds.
    pub fn unix_ms(&self, at: Instant) -> u64 {
        if at >= self.base {
            self.base_unix_ms + (at - self.base).as_millis() as u64
        } else {
            self.base_unix_ms
                .saturating_sub((self.base - at).as_millis() as u64)
        }
    }

    /// The instant of a Unix time in milliseconds. A time before the server
    /// started maps to the start (it has passed either way), a time too far
    /// ahead to represent to about a century from now.
    pub fn instant_of(&self, unix_ms: u64) -> Instant {
        if unix_ms <= self.base_unix_ms {
            return self.base;
        }
        let ahead = Duration::from_millis(unix_ms - self.base_unix_ms)
            .min(Duration::from_secs(100 * 365 * 86_400));
        self.base + ahead
    }

    /// Now, in Unix milliseconds.
    pub fn now_unix_ms(&self) -> u64 {
        self.unix_ms(Instant::now())
    }
}
