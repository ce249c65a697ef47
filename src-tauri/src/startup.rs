//! How long the first screen takes (`bench/desktop.sh`): with `VIGIL_TRACE_STARTUP=1` the shell
//! prints, each time a window says its first screen is interactive, the time since the process
//! began and the wall clock, so that a benchmark can also count what came before `main`.

use std::{
    sync::OnceLock,
    time::{Instant, SystemTime, UNIX_EPOCH},
};

static BEGAN: OnceLock<Instant> = OnceLock::new();

pub fn begin() {
    BEGAN.get_or_init(Instant::now);
}

/// One line on stderr when tracing is on: `vigil-desktop: startup: interactive after 412 ms
/// (unix 1765090000123 ms)`.
pub fn interactive() {
    if std::env::var_os("VIGIL_TRACE_STARTUP").is_none_or(|v| v != "1") {
        return;
    }
    let elapsed = BEGAN.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    eprintln!("vigil-desktop: startup: interactive after {elapsed} ms (unix {now} ms)");
}
