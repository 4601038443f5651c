//! The virus scan every upload passes before anything is kept: ClamAV's daemon (clamd), sent
//! the bytes over TCP with its INSTREAM command (ADR 0043). A scanner that cannot be reached,
//! answers with an error or takes too long is an unchecked file, and an unchecked file is
//! refused: the scan fails closed.

use std::time::Duration;

/// Where clamd listens, and how long a scan may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannerSettings {
    /// `host:port` of clamd's TCP socket.
    pub address: String,
    pub timeout: Duration,
}

/// What the scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    Clean,
    /// The signature clamd named.
    Infected(String),
    /// No answer that says the file is clean: why, for the audit log.
    Unavailable(String),
}

/// Scans the bytes, or says why it could not (no scanner set up included).
pub(crate) async fn scan(settings: Option<&ScannerSettings>, bytes: &[u8]) -> Scan {
    let Some(s) = settings else {
        return Scan::Unavailable("no virus scanner is set up (clamd_address)".into());
    };
    let connection = clamav_client::tokio::Tcp {
        host_address: s.address.as_str(),
    };
    match tokio::time::timeout(
        s.timeout,
        clamav_client::tokio::scan_buffer(bytes, connection, None),
    )
    .await
    {
        Err(_) => Scan::Unavailable(format!("no answer within {:?}", s.timeout)),
        Ok(Err(e)) => Scan::Unavailable(format!("cannot reach clamd at {}: {e}", s.address)),
        Ok(Ok(answer)) => read_answer(&answer),
    }
}

/// clamd's answer to INSTREAM: `stream: OK`, `stream: <signature> FOUND`, or an error such as
/// `INSTREAM size limit exceeded. ERROR`.
fn read_answer(answer: &[u8]) -> Scan {
    let text = String::from_utf8_lossy(answer);
    let text = text.trim_end_matches(['\0', '\n']).trim();
    let said = text.strip_prefix("stream:").map(str::trim);
    match said {
        Some("OK") => Scan::Clean,
        Some(s) if s.ends_with(" FOUND") => {
            Scan::Infected(s.trim_end_matches(" FOUND").trim().to_string())
        }
        _ => Scan::Unavailable(format!("clamd answered: {text}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamd_answers_are_read_strictly() {
        for (answer, want) in [
            (&b"stream: OK\0"[..], Scan::Clean),
            (
                b"stream: Hearth.Test.EICAR.UNOFFICIAL FOUND\0",
                Scan::Infected("Hearth.Test.EICAR.UNOFFICIAL".into()),
            ),
            (
                b"INSTREAM size limit exceeded. ERROR\0",
                Scan::Unavailable("clamd answered: INSTREAM size limit exceeded. ERROR".into()),
            ),
            (b"", Scan::Unavailable("clamd answered: ".into())),
        ] {
            assert_eq!(read_answer(answer), want);
        }
    }
}
