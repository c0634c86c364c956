//! `GET /metrics`: a few counters and one histogram in the Prometheus text format, kept by
//! hand (three metric families do not need a metrics crate).
//!
//! Labels are bounded by construction: routes are the router's templates (`/token/{user}`,
//! never the path itself), users come from the users file, modes are the eleven. No label
//! ever holds an identifier (an email, a phone) or a secret.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Histogram bucket bounds, seconds: minting is sub-millisecond, so the low end is fine.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    /// (mode, user) -> tokens; user is "" for `/token`.
    tokens: BTreeMap<(&'static str, String), u64>,
    /// (route, status) -> requests.
    requests: BTreeMap<(&'static str, u16), u64>,
    durations: BTreeMap<&'static str, Histogram>,
}

/// Shards of the counters: a thread counts into its own, so the threads serving requests never
/// wait for each other here; `/metrics` adds them up.
const SHARDS: usize = 16;

/// The server's metrics; one per process, shared by every request.
pub struct Metrics([Mutex<Inner>; SHARDS]);

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics(std::array::from_fn(|_| Mutex::default()))
    }
}

/// The shard of the calling thread, fixed at its first count.
fn shard() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    SHARD.with(|shard| *shard)
}

fn lock(shard: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    shard
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Metrics {
    /// The calling thread's shard.
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        lock(&self.0[shard()])
    }

    /// Every shard added up.
    fn total(&self) -> Inner {
        let mut total = Inner::default();
        for shard in &self.0 {
            let shard = lock(shard);
            for (key, count) in &shard.tokens {
                *total.tokens.entry(key.clone()).or_default() += count;
            }
            for (key, count) in &shard.requests {
                *total.requests.entry(*key).or_default() += count;
            }
            for (route, histogram) in &shard.durations {
                let sum = total.durations.entry(route).or_default();
                for (into, count) in sum.counts.iter_mut().zip(histogram.counts) {
                    *into += count;
                }
                sum.count += histogram.count;
                sum.sum += histogram.sum;
            }
        }
        total
    }

    /// One token issued, for a user of the users file or (user `None`) by mode alone.
    pub fn token_issued(&self, mode: &'static str, user: Option<&str>) {
        *self
            .inner()
            .tokens
            .entry((mode, user.unwrap_or_default().to_string()))
            .or_default() += 1;
    }

    /// One request answered.
    pub fn request(&self, route: &'static str, status: u16, elapsed: Duration) {
        let mut inner = self.inner();
        *inner.requests.entry((route, status)).or_default() += 1;
        let histogram = inner.durations.entry(route).or_default();
        let seconds = elapsed.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The text exposition format, version 0.0.4.
    pub fn render(&self) -> String {
        let inner = self.total();
        let mut out = String::new();
        out.push_str("# HELP acjwt_tokens_issued_total Tokens issued, by matching mode and users-file user.\n");
        out.push_str("# TYPE acjwt_tokens_issued_total counter\n");
        for ((mode, user), count) in &inner.tokens {
            let _ = writeln!(
                out,
                "acjwt_tokens_issued_total{{mode=\"{mode}\",user=\"{user}\"}} {count}"
            );
        }
        out.push_str("# HELP acjwt_http_requests_total HTTP requests, by route and status.\n");
        out.push_str("# TYPE acjwt_http_requests_total counter\n");
        for ((route, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "acjwt_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP acjwt_http_request_duration_seconds Time from request to response head.\n",
        );
        out.push_str("# TYPE acjwt_http_request_duration_seconds histogram\n");
        for (route, histogram) in &inner.durations {
            for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
                let _ = writeln!(
                    out,
                    "acjwt_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "acjwt_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "acjwt_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "acjwt_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_every_family() {
        let metrics = Metrics::default();
        metrics.token_issued("email", Some("alice"));
        metrics.token_issued("email", None);
        metrics.request("/token/{user}", 200, Duration::from_micros(700));
        let text = metrics.render();
        assert!(text.contains("acjwt_tokens_issued_total{mode=\"email\",user=\"alice\"} 1\n"));
        assert!(text.contains("acjwt_tokens_issued_total{mode=\"email\",user=\"\"} 1\n"));
        assert!(
            text.contains("acjwt_http_requests_total{route=\"/token/{user}\",status=\"200\"} 1\n")
        );
        assert!(text.contains(
            "acjwt_http_request_duration_seconds_bucket{route=\"/token/{user}\",le=\"0.0005\"} 0\n"
        ));
        assert!(text.contains(
            "acjwt_http_request_duration_seconds_bucket{route=\"/token/{user}\",le=\"0.001\"} 1\n"
        ));
        assert!(
            text.contains("acjwt_http_request_duration_seconds_count{route=\"/token/{user}\"} 1\n")
        );
    }

    /// Each thread counts into its own shard; the exposition adds them all up.
    #[test]
    fn counts_from_many_threads_add_up() {
        let metrics = Metrics::default();
        std::thread::scope(|scope| {
            for _ in 0..20 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        metrics.token_issued("email", Some("alice"));
                        metrics.request("/token/{user}", 200, Duration::from_micros(700));
                    }
                });
            }
        });
        let text = metrics.render();
        assert!(text.contains("acjwt_tokens_issued_total{mode=\"email\",user=\"alice\"} 1000\n"));
        assert!(
            text.contains(
                "acjwt_http_requests_total{route=\"/token/{user}\",status=\"200\"} 1000\n"
            )
        );
        assert!(
            text.contains(
                "acjwt_http_request_duration_seconds_count{route=\"/token/{user}\"} 1000\n"
            )
        );
    }
}
