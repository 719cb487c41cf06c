//! Given code: turning Ctrl-C and SIGTERM into a cancelled token.

use tokio_util::sync::CancellationToken;

/// Cancels `stop` on the first Ctrl-C (SIGINT) or SIGTERM. The server's
/// `SHUTDOWN` command cancels the same token.
pub fn on_signals(stop: CancellationToken) {
    tokio::spawn(async move {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let sigterm = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = sigterm => {}
            _ = stop.cancelled() => return,
        }
        stop.cancel();
    });
}
