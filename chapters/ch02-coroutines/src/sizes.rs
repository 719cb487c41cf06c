//! How many bytes an `async fn`'s state machine takes, next to a thread.
//!
//! A future's size is fixed at compile time: it is the largest set of
//! variables alive at any one `.await` (plus the future being awaited, plus
//! a small tag saying which `.await` it is at). `size_of_val` reads it.

use crate::pause::pause;
use kit::table::Table;
use std::sync::{Arc, Barrier};
use std::thread;

// ANCHOR: sizes
/// Holds nothing across its `.await` but the awaited `Pause` (1 byte).
pub async fn holds_nothing() {
    pause().await;
}

/// Holds one `u64` across the `.await`.
pub async fn holds_a_number(n: u64) -> u64 {
    let doubled = n * 2;
    pause().await;
    doubled
}

/// Holds a 1 KiB buffer across the `.await`: the buffer lives in the future.
pub async fn holds_a_buffer() -> u8 {
    let buffer = [7u8; 1024];
    pause().await;
    buffer[0]
}

/// Uses the same buffer, but it is gone before the `.await`.
pub async fn buffer_gone_before_await() -> u8 {
    let first = {
        let buffer = [7u8; 1024];
        buffer[0]
    };
    pause().await;
    first
}

/// Awaits `holds_a_buffer`: the child future is stored inside the parent.
pub async fn awaits_a_big_child() -> u8 {
    holds_a_buffer().await
}

/// Boxes the child: the parent holds a pointer, the child lives on the heap.
pub async fn boxes_its_child() -> u8 {
    Box::pin(holds_a_buffer()).await
}
// ANCHOR_END: sizes

/// One line of the size table: measured bytes and the model's prediction.
#[derive(Debug, Clone)]
pub struct SizeRow {
    pub name: &'static str,
    pub measured: usize,
    pub predicted: usize,
}

/// The model: bytes alive across the `.await` (including the awaited
/// future), plus one byte of state tag, rounded up to the alignment.
fn model(alive: usize, align: usize) -> usize {
    (alive + 1).div_ceil(align) * align
}

// ANCHOR: measure
pub fn size_rows() -> Vec<SizeRow> {
    // Calling an `async fn` only builds its state machine: nothing runs, so
    // measuring it costs nothing.
    let row = |name, measured, predicted| SizeRow {
        name,
        measured,
        predicted,
    };
    vec![
        row("holds_nothing", size_of_val(&holds_nothing()), model(1, 1)),
        // `n` counts too: arguments live until the end of the body.
        row(
            "holds_a_number",
            size_of_val(&holds_a_number(1)),
            model(8 + 8 + 1, 8),
        ),
        row(
            "holds_a_buffer",
            size_of_val(&holds_a_buffer()),
            model(1024 + 1, 1),
        ),
        row(
            "buffer_gone_before_await",
            size_of_val(&buffer_gone_before_await()),
            model(1 + 1, 1),
        ),
        row(
            "awaits_a_big_child",
            size_of_val(&awaits_a_big_child()),
            model(size_of_val(&holds_a_buffer()), 1),
        ),
        row(
            "boxes_its_child",
            size_of_val(&boxes_its_child()),
            model(8, 8),
        ),
    ]
}
// ANCHOR_END: measure

/// The size of the memory mapping that holds the calling thread's stack,
/// found in `/proc/self/maps` (Linux): the stack the thread reserved.
pub fn own_stack_reservation() -> Option<u64> {
    let marker = 0u8;
    let address = std::hint::black_box(&marker) as *const u8 as u64;
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let range = line.split_whitespace().next()?;
        let (start, end) = range.split_once('-')?;
        let start = u64::from_str_radix(start, 16).ok()?;
        let end = u64::from_str_radix(end, 16).ok()?;
        (start <= address && address < end).then_some(end - start)
    })
}

/// Memory cost of one parked thread: `(stack reserved, resident bytes)`,
/// the resident part averaged over `count` threads. `None` off Linux.
pub fn per_thread_memory(count: usize) -> Option<(u64, u64)> {
    let reserved = thread::spawn(own_stack_reservation).join().ok()??;
    let resident_before = kit::measure::resident_bytes()?;
    // Every thread waits at the barrier, so all of them exist at once when
    // we measure; the second barrier lets them finish afterwards.
    let all_started = Arc::new(Barrier::new(count + 1));
    let measured = Arc::new(Barrier::new(count + 1));
    let handles: Vec<_> = (0..count)
        .map(|_| {
            let (all_started, measured) = (Arc::clone(&all_started), Arc::clone(&measured));
            thread::spawn(move || {
                all_started.wait();
                measured.wait();
            })
        })
        .collect();
    all_started.wait();
    let resident_after = kit::measure::resident_bytes()?;
    measured.wait();
    for handle in handles {
        handle.join().expect("parked thread");
    }
    let resident = resident_after.saturating_sub(resident_before) / count as u64;
    Some((reserved, resident))
}

/// Resident memory of `count` boxed `holds_a_buffer` futures, per future.
pub fn per_future_memory(count: usize) -> Option<u64> {
    let before = kit::measure::resident_bytes()?;
    let futures: Vec<_> = (0..count).map(|_| Box::pin(holds_a_buffer())).collect();
    let after = kit::measure::resident_bytes()?;
    drop(futures);
    Some(after.saturating_sub(before) / count as u64)
}

/// The demo's two tables: state machine sizes, then memory per thread and
/// per boxed future.
pub fn demo_tables(threads: usize, futures: usize) -> (Table, Table) {
    let mut sizes = Table::new(["async fn", "measured", "predicted", "ratio"]);
    for row in size_rows() {
        sizes.row([
            row.name.to_string(),
            format!("{} B", row.measured),
            format!("{} B", row.predicted),
            kit::table::ratio(row.measured as f64, row.predicted as f64),
        ]);
    }
    let mut memory = Table::new(["one of many", "measured", "predicted", "ratio"]);
    let bytes_row = |table: &mut Table, label: String, measured: u64, predicted: u64| {
        table.row([
            label,
            kit::table::bytes(measured),
            kit::table::bytes(predicted),
            kit::table::ratio(measured as f64, predicted as f64),
        ]);
    };
    if let Some((reserved, resident_per)) = per_thread_memory(threads) {
        // std gives a spawned thread a 2 MiB stack unless told otherwise.
        bytes_row(
            &mut memory,
            "thread: stack reserved".to_string(),
            reserved,
            2 * 1024 * 1024,
        );
        // Only the stack pages a thread touches become resident: a few.
        bytes_row(
            &mut memory,
            format!("thread: resident ({threads} threads)"),
            resident_per,
            8 * 1024,
        );
    }
    if let Some(per_future) = per_future_memory(futures) {
        // The state machine, plus the allocator's 16-byte bookkeeping.
        let predicted = size_of_val(&holds_a_buffer()) as u64 + 16;
        bytes_row(
            &mut memory,
            format!("boxed holds_a_buffer ({futures} futures)"),
            per_future,
            predicted,
        );
    }
    (sizes, memory)
}
