//! A stored sign-in's work as iced subscriptions: checking (and renewing)
//! it, signing out, and waking the app when a renewal is due.
//!
//! As with [`super::flow`], each job's identity is its id: when the app
//! drops a job (a new one, or a screen left), its subscription disappears
//! and iced drops its future. Answers already queued carry the old id, and
//! `update` ignores them. The rules of when to check live in `app`, which
//! these only carry out.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use iced::Subscription;

use crate::provider::Provider;
use crate::session::{self, Checked, SignedOut};
use crate::signin::{self, Outcome};
use crate::store;

/// Identifies one job.
pub type JobId = u64;

/// One check or sign-out. Only the id is its identity.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: JobId,
    pub provider: Arc<Provider>,
    pub data_dir: Option<PathBuf>,
}

impl Hash for Job {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// Check the stored sign-in, renewing it when it is due.
pub fn check(job: Job) -> Subscription<(JobId, Checked)> {
    Subscription::run_with(job, |job| {
        let job = job.clone();
        futures::stream::once(async move {
            let checked = session::check(job.provider, job.data_dir).await;
            (job.id, checked)
        })
    })
}

/// Revoke and delete the stored sign-in.
pub fn sign_out(job: Job) -> Subscription<(JobId, Result<SignedOut, Outcome>)> {
    Subscription::run_with(job, |job| {
        let job = job.clone();
        futures::stream::once(async move {
            let done = match store::resolve_dir(job.data_dir.as_deref()) {
                Ok(dir) => session::sign_out(&job.provider, &dir, signin::shared_http()).await,
                Err(e) => Err(e.into()),
            };
            (job.id, done)
        })
    })
}

/// One message at `at` (a renewal or a retry that is due), without a
/// ticking clock in between: a token that lives an hour wakes the app
/// once, not 3,600 times.
pub fn wake(at: Instant) -> Subscription<Instant> {
    Subscription::run_with(at, |at| {
        let at = *at;
        futures::stream::once(async move {
            tokio::time::sleep_until(at.into()).await;
            Instant::now()
        })
    })
}
