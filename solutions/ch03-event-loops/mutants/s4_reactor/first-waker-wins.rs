// wrong: the waker must be replaced on every `WouldBlock`: keeping the first one stored wakes a stale task once the socket's future has moved to another task.
//! # Exercise `s4_reactor`: a reactor over mio, and async TCP sockets
//!
//! Give step 3's loop a reactor: instead of parking the thread, the idle
//! loop blocks in `mio::Poll` (epoll on Linux) until a socket is ready, a
//! timer is due, or another thread wakes it. Each socket has a token; a
//! readiness event for a token wakes the task waiting on that socket, and
//! only that one.
//!
//! Book: chapter 3, "Step 4: a reactor". Check: `cargo workbook check s4_reactor`.

use std::cell::RefCell;
use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::fmt;
use std::future::poll_fn;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use mio::{Interest, Token};

use futures::FutureExt;

/// A spawned future, boxed so that tasks of different types share one queue.
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: clock
/// Where the loop gets the time from. Injected, so that tests can run the
/// loop on virtual time and check deadlines exactly.
pub trait Clock: Send + Sync {
    /// Time since the clock started.
    fn now(&self) -> Duration;

    /// The loop is idle until `deadline`: how long may it block? A real
    /// clock answers with the time left; a virtual clock jumps forward to
    /// the deadline and answers zero.
    fn wait_for(&self, deadline: Duration) -> Duration;
}

/// The machine's monotonic clock.
pub struct RealClock {
    start: Instant,
}

impl RealClock {
    pub fn new() -> Arc<Self> {
        Arc::new(RealClock {
            start: Instant::now(),
        })
    }
}

impl Clock for RealClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn wait_for(&self, deadline: Duration) -> Duration {
        deadline.saturating_sub(self.now())
    }
}

/// A clock that only moves when the idle loop asks to wait, and then jumps
/// straight to the deadline (what tokio's paused clock does). It records
/// every deadline it was asked to wait for.
#[derive(Default)]
pub struct VirtualClock {
    now: Mutex<Duration>,
    waits: Mutex<Vec<Duration>>,
}

impl VirtualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(VirtualClock::default())
    }

    /// The deadlines the loop waited for, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }

    fn wait_for(&self, deadline: Duration) -> Duration {
        self.waits.lock().unwrap().push(deadline);
        let mut now = self.now.lock().unwrap();
        *now = (*now).max(deadline);
        Duration::ZERO
    }
}
// ANCHOR_END: clock

// ANCHOR: timer
/// One pending `sleep`: wake `waker` at `deadline`.
struct Timer {
    deadline: Duration,
    /// Breaks ties between equal deadlines: first registered, first woken.
    seq: u64,
    waker: Waker,
}

// The heap orders timers by (deadline, seq); the waker plays no part.
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == CmpOrdering::Equal
    }
}

impl Eq for Timer {}
// ANCHOR_END: timer

// ANCHOR: shared
/// What the loop and every waker share.
struct Shared {
    /// Tasks that were woken and wait for their next poll, oldest first.
    run_queue: Mutex<VecDeque<Arc<Task>>>,
    /// Where the idle loop blocks: epoll, through mio.
    reactor: Reactor,
    /// True while the loop is (about to be) blocked in the reactor. Wakers
    /// read it to skip the system call that wakes the reactor when the loop
    /// is running anyway.
    sleeping: AtomicBool,
    /// Pending sleeps. `BinaryHeap` pops the *largest* item; `Reverse`
    /// turns it into a min-heap, so `peek` is the earliest deadline.
    timers: Mutex<BinaryHeap<Reverse<Timer>>>,
    next_timer_seq: AtomicU64,
    clock: Arc<dyn Clock>,
}

impl Shared {
    /// Queues `task` and wakes the loop in case it sleeps.
    fn schedule(&self, task: Arc<Task>) {
        self.run_queue.lock().unwrap().push_back(task);
        self.notify();
    }

    // ANCHOR: notify
    /// Makes sure the loop notices new work: if it is blocked in the
    /// reactor, interrupt the `epoll_wait` through mio's waker.
    fn notify(&self) {
        if self.sleeping.load(Ordering::SeqCst) {
            self.reactor.wake_loop();
        }
    }
    // ANCHOR_END: notify

    /// Polls the tasks that are ready now, in the order they were woken.
    ///
    /// Tasks woken during this round wait for the next one, so a task that
    /// keeps yielding cannot starve the main future or the other tasks.
    fn run_ready_tasks(&self) {
        let ready_now = self.run_queue.lock().unwrap().len();
        for _ in 0..ready_now {
            let Some(task) = self.run_queue.lock().unwrap().pop_front() else {
                break;
            };
            task.run();
        }
    }

    fn has_ready_tasks(&self) -> bool {
        !self.run_queue.lock().unwrap().is_empty()
    }

    // ANCHOR: timers
    /// Registers a wake-up for `waker` at `deadline`.
    fn add_timer(&self, deadline: Duration, waker: Waker) {
        let seq = self.next_timer_seq.fetch_add(1, Ordering::SeqCst);
        let timer = Timer {
            deadline,
            seq,
            waker,
        };
        self.timers.lock().unwrap().push(Reverse(timer));
    }

    /// Wakes every timer whose deadline has passed, earliest first.
    fn fire_due_timers(&self) {
        let now = self.clock.now();
        let mut due = Vec::new();
        {
            let mut timers = self.timers.lock().unwrap();
            while let Some(Reverse(earliest)) = timers.peek() {
                if earliest.deadline > now {
                    break;
                }
                let Reverse(timer) = timers.pop().expect("peeked just now");
                due.push(timer.waker);
            }
        }
        // Woken outside the lock: a waker may run code that adds a timer.
        for waker in due {
            waker.wake();
        }
    }

    /// Nothing is ready: block in the reactor until a socket is ready, the
    /// next deadline passes, or another thread wakes the loop.
    fn park(&self, main_woken: &AtomicBool) {
        self.sleeping.store(true, Ordering::SeqCst);
        // Check again now that wakers can see `sleeping`: one that ran just
        // before the store skipped `wake_loop`, and its work is queued.
        if main_woken.load(Ordering::SeqCst) || self.has_ready_tasks() {
            self.sleeping.store(false, Ordering::SeqCst);
            return;
        }
        let next_deadline = self.timers.lock().unwrap().peek().map(|t| t.0.deadline);
        let timeout = next_deadline.map(|deadline| self.clock.wait_for(deadline));
        self.reactor.wait(timeout);
        self.sleeping.store(false, Ordering::SeqCst);
    }
    // ANCHOR_END: timers

    /// Drops the tasks still queued when `block_on` returns. Taken out of the
    /// lock first: dropping a future may wake another task, which locks the
    /// queue again.
    fn shutdown(&self) {
        let leftovers = std::mem::take(&mut *self.run_queue.lock().unwrap());
        drop(leftovers);
        let timers = std::mem::take(&mut *self.timers.lock().unwrap());
        drop(timers);
        let io_wakers = std::mem::take(&mut *self.reactor.sources.lock().unwrap());
        drop(io_wakers);
    }
}
// ANCHOR_END: shared

// ANCHOR: task
/// A spawned future and what its waker needs to queue it again.
struct Task {
    /// `None` once the future has completed.
    future: Mutex<Option<BoxFuture>>,
    /// True while the task sits in the run queue: a second wake-up before
    /// the poll must not queue it twice.
    scheduled: AtomicBool,
    shared: Arc<Shared>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        if !self.scheduled.swap(true, Ordering::SeqCst) {
            let shared = Arc::clone(&self.shared);
            shared.schedule(self);
        }
    }
}

impl Task {
    /// Polls the task once, with a waker that queues this very task.
    fn run(self: Arc<Self>) {
        // Cleared *before* the poll: a wake-up that happens during the poll
        // (a task that yields) must put the task back in the queue.
        self.scheduled.store(false, Ordering::SeqCst);
        let waker = Waker::from(Arc::clone(&self));
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            // Drop the finished future now, not when the last waker goes.
            *slot = None;
        }
    }
}
// ANCHOR_END: task

// ANCHOR: join_handle
/// Why a task ended without an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The task panicked; the panic's message.
    Panicked(String),
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Panicked(message) => write!(f, "task panicked: {message}"),
        }
    }
}

impl std::error::Error for JoinError {}

/// The slot a task writes its result into, and who waits for it.
struct JoinState<T> {
    result: Option<Result<T, JoinError>>,
    /// The waker of whoever awaits the handle, woken when `result` is set.
    waiter: Option<Waker>,
}

/// Awaits a spawned task's output. Dropping it detaches the task, which
/// keeps running.
pub struct JoinHandle<T> {
    state: Arc<Mutex<JoinState<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.state.lock().unwrap();
        match state.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                // Not finished: leave our waker for the task to call.
                state.waiter = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Stores the task's result and wakes whoever awaits the handle.
fn finish<T>(state: &Mutex<JoinState<T>>, result: Result<T, JoinError>) {
    let waiter = {
        let mut state = state.lock().unwrap();
        state.result = Some(result);
        state.waiter.take()
    };
    // Woken outside the lock, so the waiter may poll at once.
    if let Some(waiter) = waiter {
        waiter.wake();
    }
}
// ANCHOR_END: join_handle

// ANCHOR: spawn
/// Starts `future` as a task on the running `block_on` loop.
///
/// # Panics
/// Outside `block_on`: "spawn called outside block_on".
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let shared = current("spawn");
    let state = Arc::new(Mutex::new(JoinState {
        result: None,
        waiter: None,
    }));
    let task_state = Arc::clone(&state);
    let task_future = async move {
        // A panic inside one poll unwinds to here instead of through the
        // loop: one broken task must not take the others down.
        let result = AssertUnwindSafe(future)
            .catch_unwind()
            .await
            .map_err(|payload| JoinError::Panicked(panic_message(payload.as_ref())));
        finish(&task_state, result);
    };
    let task = Arc::new(Task {
        future: Mutex::new(Some(Box::pin(task_future))),
        scheduled: AtomicBool::new(true),
        shared: Arc::clone(&shared),
    });
    shared.schedule(task);
    JoinHandle { state }
}
// ANCHOR_END: spawn

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic with a non-text payload)".to_string()
    }
}

// ANCHOR: block_on
/// The main future's waker: a flag, and a nudge to the reactor.
struct MainWaker {
    woken: AtomicBool,
    shared: Arc<Shared>,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.shared.notify();
    }
}

/// Runs `future` and every task it spawns on this thread until `future`
/// completes, on the machine's clock. Tasks still unfinished then are dropped.
pub fn block_on<F: Future>(future: F) -> F::Output {
    block_on_with_clock(RealClock::new(), future)
}

/// Like [`block_on`], with the time taken from `clock`.
pub fn block_on_with_clock<F: Future>(clock: Arc<dyn Clock>, future: F) -> F::Output {
    let reactor = Reactor::new().expect("create the mio reactor (epoll)");
    let shared = Arc::new(Shared {
        run_queue: Mutex::new(VecDeque::new()),
        reactor,
        sleeping: AtomicBool::new(false),
        timers: Mutex::new(BinaryHeap::new()),
        next_timer_seq: AtomicU64::new(0),
        clock,
    });
    let _entered = enter(Arc::clone(&shared));
    let main_waker = Arc::new(MainWaker {
        woken: AtomicBool::new(true), // poll the main future once to start
        shared: Arc::clone(&shared),
    });
    let waker = Waker::from(Arc::clone(&main_waker));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    let output = loop {
        if main_waker.woken.swap(false, Ordering::SeqCst)
            && let Poll::Ready(output) = future.as_mut().poll(&mut cx)
        {
            break output;
        }
        shared.fire_due_timers();
        shared.run_ready_tasks();
        let idle = !main_waker.woken.load(Ordering::SeqCst) && !shared.has_ready_tasks();
        if idle {
            shared.park(&main_waker.woken);
        }
    };
    shared.shutdown();
    output
}
// ANCHOR_END: block_on

// ANCHOR: current
thread_local! {
    /// The loop running on this thread, so that `spawn` can find it the way
    /// `tokio::spawn` finds its runtime.
    static CURRENT: RefCell<Option<Arc<Shared>>> = const { RefCell::new(None) };
}

/// Clears `CURRENT` when `block_on` returns (or unwinds).
struct Entered;

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.with(|current| current.borrow_mut().take());
    }
}

fn enter(shared: Arc<Shared>) -> Entered {
    CURRENT.with(|current| *current.borrow_mut() = Some(shared));
    Entered
}

fn current(what: &str) -> Arc<Shared> {
    CURRENT
        .with(|current| current.borrow().clone())
        .unwrap_or_else(|| panic!("{what} called outside block_on"))
}
// ANCHOR_END: current

// ANCHOR: sleep
/// The loop's current time, on its clock.
///
/// # Panics
/// Outside `block_on`.
pub fn now() -> Duration {
    current("now").clock.now()
}

/// Completes once `duration` has passed on the loop's clock.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        duration,
        deadline: None,
    }
}

/// The future returned by [`sleep`].
pub struct Sleep {
    duration: Duration,
    /// Set on the first poll: the clock starts when the sleep is awaited,
    /// not when it is created (futures are lazy).
    deadline: Option<Duration>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let shared = current("sleep");
        let now = shared.clock.now();
        let duration = self.duration;
        let deadline = *self.deadline.get_or_insert(now + duration);
        // Being polled does not mean the time is up: the task may have been
        // woken for another reason. Only the clock decides.
        if now >= deadline {
            return Poll::Ready(());
        }
        shared.add_timer(deadline, cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: sleep

// ANCHOR: reactor
/// The token of mio's waker; sockets get tokens counting up from 0.
const WAKE_TOKEN: Token = Token(usize::MAX);

/// Which way a task waits on a socket.
#[derive(Clone, Copy, Debug)]
enum Direction {
    Read,
    Write,
}

/// The tasks waiting on one socket: at most one reader and one writer.
#[derive(Default)]
struct IoWakers {
    reader: Option<Waker>,
    writer: Option<Waker>,
}

/// Turns readiness events from the OS into wake-ups of the right tasks.
struct Reactor {
    poll: Mutex<mio::Poll>,
    events: Mutex<mio::Events>,
    /// Registers sockets; usable while another thread is in `poll`.
    registry: mio::Registry,
    /// Interrupts `poll` from any thread (an eventfd on Linux).
    waker: mio::Waker,
    /// Who waits on which socket, by token.
    sources: Mutex<HashMap<Token, IoWakers>>,
    next_token: AtomicUsize,
}

impl Reactor {
    fn new() -> io::Result<Reactor> {
        let poll = mio::Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = mio::Waker::new(&registry, WAKE_TOKEN)?;
        Ok(Reactor {
            poll: Mutex::new(poll),
            events: Mutex::new(mio::Events::with_capacity(1024)),
            registry,
            waker,
            sources: Mutex::new(HashMap::new()),
            next_token: AtomicUsize::new(0),
        })
    }

    /// Interrupts a `wait` in progress, or makes the next one return at once.
    fn wake_loop(&self) {
        self.waker.wake().expect("wake the reactor");
    }

    /// Watches `source` for readiness under a fresh token.
    fn register(&self, source: &mut impl mio::event::Source) -> io::Result<Token> {
        let token = Token(self.next_token.fetch_add(1, Ordering::SeqCst));
        self.registry
            .register(source, token, Interest::READABLE | Interest::WRITABLE)?;
        self.sources
            .lock()
            .unwrap()
            .insert(token, IoWakers::default());
        Ok(token)
    }

    fn deregister(&self, source: &mut impl mio::event::Source, token: Token) {
        // The socket is being closed anyway; an error here changes nothing.
        let _ = self.registry.deregister(source);
        self.sources.lock().unwrap().remove(&token);
    }

    /// Remembers that the task owning `waker` waits for `token` to become
    /// ready in `direction`.
    fn set_waker(&self, token: Token, direction: Direction, waker: &Waker) {
        let mut sources = self.sources.lock().unwrap();
        let wakers = sources.entry(token).or_default();
        let slot = match direction {
            Direction::Read => &mut wakers.reader,
            Direction::Write => &mut wakers.writer,
        };
        // Someone is already waiting in this direction: no need to clone again.
        if slot.is_none() {
            *slot = Some(waker.clone());
        }
    }

    /// Blocks until a socket is ready, `timeout` passes (`None`: no limit)
    /// or `wake_loop` is called; then wakes the tasks whose socket is ready.
    fn wait(&self, timeout: Option<Duration>) {
        let mut events = self.events.lock().unwrap();
        let result = self.poll.lock().unwrap().poll(&mut events, timeout);
        match result {
            Ok(()) => {}
            // A signal interrupted epoll_wait: just go round the loop again.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return,
            Err(error) => panic!("the reactor failed to poll: {error}"),
        }
        let mut to_wake = Vec::new();
        {
            let mut sources = self.sources.lock().unwrap();
            for event in events.iter() {
                let Some(wakers) = sources.get_mut(&event.token()) else {
                    continue;
                };
                if event.is_readable() || event.is_read_closed() || event.is_error() {
                    to_wake.extend(wakers.reader.take());
                }
                if event.is_writable() || event.is_write_closed() || event.is_error() {
                    to_wake.extend(wakers.writer.take());
                }
            }
        }
        for waker in to_wake {
            waker.wake();
        }
    }
}
// ANCHOR_END: reactor

// ANCHOR: registration
/// A socket's place in the reactor: its token, and the loop it belongs to.
struct Registration {
    token: Token,
    shared: Arc<Shared>,
}

impl Registration {
    fn new(source: &mut impl mio::event::Source) -> io::Result<Registration> {
        let shared = current("a socket");
        let token = shared.reactor.register(source)?;
        Ok(Registration { token, shared })
    }

    /// Tries a non-blocking operation. If the OS answers `WouldBlock`, the
    /// task leaves its waker for `direction` and returns `Pending`: the
    /// reactor wakes it when the socket becomes ready, and the next poll
    /// tries again.
    fn poll_io<R>(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        mut operation: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        match operation() {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                self.shared
                    .reactor
                    .set_waker(self.token, direction, cx.waker());
                Poll::Pending
            }
            result => Poll::Ready(result),
        }
    }
}
// ANCHOR_END: registration

// ANCHOR: sockets
/// A TCP listener on the home-made runtime.
pub struct TcpListener {
    io: mio::net::TcpListener,
    registration: Registration,
}

impl TcpListener {
    /// Binds `addr` (use port 0 to let the OS pick a free port).
    ///
    /// # Panics
    /// Outside `block_on`.
    pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
        let mut io = mio::net::TcpListener::bind(addr)?;
        let registration = Registration::new(&mut io)?;
        Ok(TcpListener { io, registration })
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr()
    }

    /// Waits for the next incoming connection.
    pub async fn accept(&mut self) -> io::Result<(TcpStream, SocketAddr)> {
        let (io, peer) = poll_fn(|cx| {
            self.registration
                .poll_io(Direction::Read, cx, || self.io.accept())
        })
        .await?;
        Ok((TcpStream::new(io)?, peer))
    }
}

impl Drop for TcpListener {
    fn drop(&mut self) {
        let token = self.registration.token;
        self.registration
            .shared
            .reactor
            .deregister(&mut self.io, token);
    }
}

/// A TCP connection on the home-made runtime.
pub struct TcpStream {
    io: mio::net::TcpStream,
    registration: Registration,
}

impl TcpStream {
    fn new(mut io: mio::net::TcpStream) -> io::Result<TcpStream> {
        let registration = Registration::new(&mut io)?;
        Ok(TcpStream { io, registration })
    }

    /// Connects to `addr`.
    ///
    /// # Panics
    /// Outside `block_on`.
    pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        // A non-blocking connect returns at once; the handshake goes on in
        // the kernel, and the socket turns writable when it is done.
        let stream = TcpStream::new(mio::net::TcpStream::connect(addr)?)?;
        poll_fn(|cx| {
            stream
                .registration
                .poll_io(Direction::Write, cx, || connection_state(&stream.io))
        })
        .await?;
        Ok(stream)
    }

    /// Reads some bytes into `buf`; `Ok(0)` means the peer closed its side.
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| {
            self.registration
                .poll_io(Direction::Read, cx, || self.io.read(buf))
        })
        .await
    }

    /// Writes some of `buf`, returning how many bytes the kernel took.
    pub async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        poll_fn(|cx| {
            self.registration
                .poll_io(Direction::Write, cx, || self.io.write(buf))
        })
        .await
    }

    /// Writes all of `buf`, waiting for room in the socket as needed.
    pub async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let written = self.write(buf).await?;
            if written == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            buf = &buf[written..];
        }
        Ok(())
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr()
    }
}

/// `Ok` once a non-blocking connect has finished, `WouldBlock` while the
/// handshake is still going on, the error if it failed.
fn connection_state(io: &mio::net::TcpStream) -> io::Result<()> {
    if let Some(error) = io.take_error()? {
        return Err(error);
    }
    match io.peer_addr() {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotConnected => {
            Err(io::ErrorKind::WouldBlock.into())
        }
        Err(error) => Err(error),
    }
}

impl Drop for TcpStream {
    fn drop(&mut self) {
        let token = self.registration.token;
        self.registration
            .shared
            .reactor
            .deregister(&mut self.io, token);
    }
}
// ANCHOR_END: sockets
