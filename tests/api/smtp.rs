//! A small SMTP server for the tests (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing,
//! RSET, NOOP, QUIT), on a free port. It keeps every message it accepted, and can be told to refuse
//! the next messages with a temporary error (451) to exercise retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent (headers and body), line endings as CRLF.
    pub data: String,
}

impl Received {
    /// The value of a header (unfolded), case-insensitive name.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(v) = value.as_mut() {
                    v.push_str(line.trim_start());
                }
                continue;
            }
            if value.is_some() {
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    /// The text of the part with this content type (`text/plain`, `text/html`), decoded from
    /// quoted-printable or base64.
    pub fn part(&self, content_type: &str) -> String {
        let boundary = self
            .data
            .split_once("boundary=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(boundary, _)| format!("\r\n--{boundary}"))
            .unwrap_or_else(|| "\r\n--".to_owned());
        for part in self.data.split(&boundary) {
            let Some((head, body)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            let head_lower = head.to_ascii_lowercase();
            if !head_lower.contains(&format!("content-type: {content_type}")) {
                continue;
            }
            let body = body.trim_end_matches("\r\n");
            if head_lower.contains("content-transfer-encoding: quoted-printable") {
                return decode_quoted_printable(body);
            }
            if head_lower.contains("content-transfer-encoding: base64") {
                use base64::Engine;
                let joined: String = body.split("\r\n").collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(joined.trim())
                    .unwrap_or_default();
                return String::from_utf8_lossy(&bytes).into_owned();
            }
            return body.to_owned();
        }
        String::new()
    }

    /// The links of the plain-text part that start with `prefix`.
    pub fn links(&self, prefix: &str) -> Vec<String> {
        self.part("text/plain")
            .split_whitespace()
            .filter(|word| word.starts_with(prefix))
            .map(str::to_owned)
            .collect()
    }
}

fn decode_quoted_printable(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut chars = text.as_bytes().iter().copied().peekable();
    while let Some(b) = chars.next() {
        if b != b'=' {
            bytes.push(b);
            continue;
        }
        let hi = chars.next();
        let lo = chars.next();
        match (hi, lo) {
            (Some(b'\r'), Some(b'\n')) => {}
            (Some(h), Some(l)) => {
                let hex = [h, l];
                match u8::from_str_radix(std::str::from_utf8(&hex).unwrap_or("zz"), 16) {
                    Ok(v) => bytes.push(v),
                    Err(_) => bytes.extend([b'=', h, l]),
                }
            }
            _ => bytes.push(b'='),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A running server; stops when dropped.
pub struct SmtpServer {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    refuse_next: Arc<AtomicUsize>,
    refuse_only: Arc<std::sync::Mutex<String>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let refuse_next = Arc::new(AtomicUsize::new(0));
        let refuse_only = Arc::new(std::sync::Mutex::new(String::new()));
        let (store, refuse, only) = (messages.clone(), refuse_next.clone(), refuse_only.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, refuse, only) = (store.clone(), refuse.clone(), only.clone());
                tokio::spawn(async move {
                    session(stream, store, refuse, only).await.ok();
                });
            }
        });
        Self {
            port,
            messages,
            refuse_next,
            refuse_only,
            task,
        }
    }

    /// `smtp://127.0.0.1:<port>`, for `smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Answers the next `count` messages that contain `text` with `451` (try again later).
    pub fn refuse_next(&self, count: usize, text: &str) {
        *self.refuse_only.lock().unwrap() = text.to_owned();
        self.refuse_next.store(count, Ordering::SeqCst);
    }

    /// How many messages arrived (without copying them); `benches/mail.rs` counts this way.
    #[allow(dead_code)]
    pub async fn count(&self) -> usize {
        self.messages.lock().await.len()
    }

    pub async fn messages(&self) -> Vec<Received> {
        self.messages.lock().await.clone()
    }

    /// The messages of one kind (`notification`, `digest`, `confirm_email`, ...: the
    /// `X-Passerelle-Kind` header).
    pub async fn of_kind(&self, kind: &str) -> Vec<Received> {
        self.messages()
            .await
            .into_iter()
            .filter(|m| m.header("X-Passerelle-Kind").as_deref() == Some(kind))
            .collect()
    }

    /// Waits until at least `count` messages of `kind` arrived (at most `seconds`), and returns
    /// them all.
    pub async fn wait_for(&self, kind: &str, count: usize, seconds: u64) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let messages = self.of_kind(kind).await;
            if messages.len() >= count || tokio::time::Instant::now() > deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn session(
    stream: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
    refuse_only: Arc<std::sync::Mutex<String>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test.smtp ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-test.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = address(&command);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                to.push(address(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(unstuffed.trim_end_matches(['\r', '\n']));
                    data.push_str("\r\n");
                }
                let only = refuse_only.lock().unwrap().clone();
                let refused = data.contains(&only)
                    && refuse
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                if refused {
                    b"451 4.3.0 Try again later\r\n"
                } else {
                    store.lock().await.push(Received {
                        from: std::mem::take(&mut from),
                        to: std::mem::take(&mut to),
                        data,
                    });
                    b"250 OK queued\r\n"
                }
            }
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// The address of `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or_else(String::new, |(address, _)| address.to_owned())
}
