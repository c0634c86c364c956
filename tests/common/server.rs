//! A real `acjwt serve` for the tests of the server and of its page: started on a free port
//! with the test's key, role token and users, its stderr collected, killed on drop.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::TestEnv;

/// The users file `Server::start` serves: an email user, an anonymous-style push_sub one with
/// its own ttl, and a custom-field one.
pub const USERS: &str = r#"
[alice]
matching = "email"
db_id = 2
email = "alice.private@example.com"

[device]
matching = "push_sub"
db_id = 2
provider = "android-firebase"
subscription_id = "fcm-device-token-1"
ttl = "15m"

[crm]
matching = "custom"
db_id = 3
field_name = "CRM_ID"
field_value = 42
"#;

/// A key (`server.key`, `alg`), the role token file and the users file in `env`, as
/// `Server::start` expects them; returns the key's path.
pub fn setup(env: &TestEnv, alg: &str, rtoken: &str) -> std::path::PathBuf {
    let (key, _) = env.keygen(alg, "server");
    env.write("rtoken.txt", format!("{rtoken}\n"));
    env.write("users.toml", USERS);
    key
}

/// A running `acjwt serve`, killed on drop.
pub struct Server {
    pub child: Child,
    /// The first stdout line: `http://127.0.0.1:PORT` or `unix:PATH`.
    pub url: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `acjwt` with no ACJWT_* variables from the caller's environment.
pub fn acjwt(env: &TestEnv) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_acjwt"));
    cmd.current_dir(env.dir.path());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("ACJWT_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("CI", "true");
    cmd
}

impl Server {
    /// Starts `acjwt serve --key server.key --iss TestApp --rtoken-file rtoken.txt --users
    /// users.toml EXTRA...` and waits for its first stdout line.
    pub fn start(env: &TestEnv, extra: &[&str]) -> Server {
        Server::start_with(env, extra, &[])
    }

    pub fn start_with(env: &TestEnv, extra: &[&str], vars: &[(&str, &str)]) -> Server {
        let mut cmd = acjwt(env);
        cmd.args([
            "serve",
            "--key",
            "server.key",
            "--iss",
            "TestApp",
            "--rtoken-file",
            "rtoken.txt",
        ])
        .args(["--users", "users.toml"]);
        if !extra.contains(&"--listen") {
            cmd.args(["--listen", "127.0.0.1:0"]);
        }
        cmd.args(extra).envs(vars.iter().copied());
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start acjwt serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = BufReader::new(child.stderr.take().expect("stderr"));
        std::thread::spawn(move || {
            let mut line = String::new();
            while err.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining, so the server never blocks on a full pipe.
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let server = Server {
            child,
            url: line.trim().to_string(),
            stderr,
        };
        assert!(
            server.url.starts_with("http://") || server.url.starts_with("unix:"),
            "acjwt serve printed no URL ({:?}); stderr:\n{}",
            server.url,
            server.stderr()
        );
        server
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }

    /// Waits until stderr holds `text` (60 s at most).
    pub fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.stderr().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to exit (60 s at most) and returns its exit code.
    pub fn wait_exit(&mut self) -> i32 {
        crate::common::wait_or_fail(&mut self.child, 60, "acjwt serve")
            .code()
            .expect("exit code")
    }
}
