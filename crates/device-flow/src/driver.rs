//! Runs a `Flow` against a transport and a real clock, as a stream of
//! `FlowEvent`s. Dropping the stream cancels the flow: no request is sent
//! after that, because the only code that sends is inside the stream.

use std::collections::VecDeque;
use std::time::Instant;

use futures::Stream;

use crate::flow::{Action, Flow, FlowEvent};
use crate::transport::Transport;

struct Driver<T> {
    flow: Flow,
    transport: T,
    queue: VecDeque<FlowEvent>,
    pending: Option<crate::wire::HttpRequest>,
}

/// The flow's events, ending after the terminal one.
pub fn run<T: Transport + 'static>(flow: Flow, transport: T) -> impl Stream<Item = FlowEvent> {
    let driver = Driver {
        flow,
        transport,
        queue: VecDeque::new(),
        pending: None,
    };
    futures::stream::unfold(driver, |mut d| async move {
        loop {
            if let Some(event) = d.queue.pop_front() {
                return Some((event, d));
            }
            if let Some(req) = d.pending.take() {
                let result = d.transport.send(&req).await;
                // The instant the answer arrived anchors the next wait (R4).
                let now = Instant::now();
                let events = d.flow.on_response(result, now);
                d.queue.extend(events);
                continue;
            }
            let (action, events) = d.flow.next_action(Instant::now());
            d.queue.extend(events);
            match action {
                Action::Send(req) => d.pending = Some(req),
                // Tokio rounds sleeps up to the next millisecond: never early.
                Action::WaitUntil(t) => tokio::time::sleep_until(t.into()).await,
                Action::AwaitResponse => unreachable!("the driver awaits every request it sends"),
                Action::Done if d.queue.is_empty() => return None,
                Action::Done => {}
            }
        }
    })
}
