//! Long work off the UI thread (STYLE.md): a named thread, progress through a channel, a cancel
//! flag, and a panel that polls each frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// What a running job reports.
enum Message<T> {
    Progress(f32),
    Done(anyhow::Result<T>),
}

/// A piece of work running on its own thread.
pub struct Job<T> {
    receiver: Receiver<Message<T>>,
    cancel: Arc<AtomicBool>,
    progress: f32,
    /// What the job does, for the status bar.
    pub title: String,
}

/// Handed to the work: report progress, and see whether the user cancelled.
pub struct Progress<T> {
    sender: Sender<Message<T>>,
    cancel: Arc<AtomicBool>,
    ctx: Option<egui::Context>,
}

impl<T> Progress<T> {
    /// Reports `fraction` (0..1) done; returns `false` when the user has cancelled.
    pub fn report(&self, fraction: f32) -> bool {
        // A closed channel means the panel dropped the job: stop as if cancelled.
        let open = self.sender.send(Message::Progress(fraction)).is_ok();
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
        open && !self.cancel.load(Ordering::Relaxed)
    }
}

/// How a poll found the job.
pub enum Poll<T> {
    Running(f32),
    Done(anyhow::Result<T>),
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name`.
    pub fn spawn(
        name: &str,
        title: String,
        ctx: Option<egui::Context>,
        work: impl FnOnce(&Progress<T>) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<Job<T>> {
        let (sender, receiver) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Progress { sender: sender.clone(), cancel: cancel.clone(), ctx: ctx.clone() };
        std::thread::Builder::new().name(name.to_string()).spawn(move || {
            let result = work(&progress);
            // The panel may be gone (window closed); nothing to report to then.
            let _ = sender.send(Message::Done(result));
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        })?;
        Ok(Job { receiver, cancel, progress: 0.0, title })
    }

    /// Asks the work to stop at its next progress report.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Drains the channel: the latest progress, or the result.
    pub fn poll(&mut self) -> Poll<T> {
        loop {
            match self.receiver.try_recv() {
                Ok(Message::Progress(f)) => self.progress = f,
                Ok(Message::Done(result)) => return Poll::Done(result),
                Err(TryRecvError::Empty) => return Poll::Running(self.progress),
                Err(TryRecvError::Disconnected) => {
                    return Poll::Done(Err(anyhow::anyhow!("the background work stopped unexpectedly")));
                }
            }
        }
    }

    /// Waits for the result (tests and benches).
    pub fn wait(mut self) -> anyhow::Result<T> {
        loop {
            match self.receiver.recv() {
                Ok(Message::Progress(f)) => self.progress = f,
                Ok(Message::Done(result)) => return result,
                Err(_) => return Err(anyhow::anyhow!("the background work stopped unexpectedly")),
            }
        }
    }
}

/// Draws a job's progress bar and Cancel button; returns the result when it is done.
pub fn job_ui<T: Send + 'static>(ui: &mut egui::Ui, job: &mut Job<T>, cancel_label: &str) -> Option<anyhow::Result<T>> {
    match job.poll() {
        Poll::Done(result) => Some(result),
        Poll::Running(fraction) => {
            ui.horizontal(|ui| {
                ui.add(egui::ProgressBar::new(fraction).show_percentage().desired_width(160.0).text(job.title.clone()));
                if ui.button(cancel_label).clicked() {
                    job.cancel();
                }
            });
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
            None
        }
    }
}
