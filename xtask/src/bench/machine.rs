//! What a report says about when and where it was measured.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The machine and moment of a run.
#[derive(Debug, Clone)]
pub(super) struct Machine {
    /// UTC date and time, `YYYY-MM-DD HH:MM UTC`.
    pub date: String,
    /// Logical cores available to this process.
    pub cores: usize,
    /// CPU model from /proc/cpuinfo, if known.
    pub cpu: Option<String>,
    /// Total memory from /proc/meminfo, in GiB.
    pub memory_gib: Option<f64>,
    /// The 1-minute load average when the run started.
    pub load: Option<String>,
    /// `rustc --version`.
    pub rustc: Option<String>,
}

impl Machine {
    /// Reads the clock, /proc and the toolchain.
    pub(super) fn probe(root: &Path) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let rustc = Command::new("rustc")
            .arg("--version")
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
        Self {
            date: utc_now(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu: cpu_model(&cpuinfo),
            memory_gib: mem_total_kib(&meminfo).map(|kib| kib as f64 / (1024.0 * 1024.0)),
            load: loadavg.split_whitespace().next().map(str::to_owned),
            rustc,
        }
    }

    /// One Markdown line naming the date, machine and command.
    pub(super) fn describe(&self, command_line: &str) -> String {
        let mut machine = format!("{} cores", self.cores);
        if let Some(cpu) = &self.cpu {
            machine.push_str(&format!(" ({cpu})"));
        }
        if let Some(gib) = self.memory_gib {
            machine.push_str(&format!(", {gib:.1} GiB memory"));
        }
        if let Some(load) = &self.load {
            machine.push_str(&format!(", load average {load} at the start"));
        }
        let rustc = self.rustc.as_deref().unwrap_or("rustc (unknown version)");
        format!(
            "Measured {} on {machine}; {rustc}; command: `{command_line}`.\n",
            self.date
        )
    }
}

fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn mem_total_kib(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find(|line| line.starts_with("MemTotal:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
}

/// The current UTC time as `YYYY-MM-DD HH:MM UTC`.
fn utc_now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    format_utc(secs)
}

fn format_utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (y, m, d) = civil_from_days(days);
    let rest = secs % 86_400;
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Peak resident memory of this process so far (VmHWM), in KiB.
pub(super) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400 + 3_660), "2000-02-29 01:01 UTC");
        assert_eq!(format_utc(1_767_225_600), "2026-01-01 00:00 UTC");
    }

    #[test]
    fn proc_files() {
        assert_eq!(
            cpu_model("processor\t: 0\nmodel name\t: Intel(R)  Xeon(R)\n").as_deref(),
            Some("Intel(R) Xeon(R)")
        );
        assert_eq!(
            mem_total_kib("MemTotal:       24684544 kB\nMemFree: 1 kB\n"),
            Some(24_684_544)
        );
        assert_eq!(mem_total_kib(""), None);
    }
}
