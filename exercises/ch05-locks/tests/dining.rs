// Tests for exercise `dining` (chapter 5, "Deadlock").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// A deadlock between real threads needs unlucky timing, so a run that
// finishes proves little. The first test instead explores *every* order in
// which the philosophers could pick up their forks (a tiny model checker)
// and reports a schedule that ends with everyone stuck, if there is one.

use ch05_exercises::dining::{dine, fork_order};
use kit::watchdog::{GENEROUS, within};
use std::collections::HashSet;

/// Where each philosopher is in one meal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Step {
    WantsFirst,
    WantsSecond,
    Done,
}

/// Searches every interleaving of one meal per philosopher. Returns a
/// description of a state where nobody can move but not everyone is done.
fn find_deadlock(seats: usize) -> Option<String> {
    let orders: Vec<(usize, usize)> = (0..seats).map(|seat| fork_order(seat, seats)).collect();
    let start = (vec![Step::WantsFirst; seats], vec![None::<usize>; seats]);
    let mut seen = HashSet::new();
    let mut to_visit = vec![start];
    while let Some((steps, holder)) = to_visit.pop() {
        if !seen.insert((steps.clone(), holder.clone())) {
            continue;
        }
        let mut anyone_moved = false;
        for seat in 0..seats {
            let (first, second) = orders[seat];
            let (mut steps, mut holder) = (steps.clone(), holder.clone());
            match steps[seat] {
                Step::WantsFirst if holder[first].is_none() => {
                    holder[first] = Some(seat);
                    steps[seat] = Step::WantsSecond;
                }
                Step::WantsSecond if holder[second].is_none() => {
                    // Holding both forks: eat, then put both down.
                    holder[first] = None;
                    steps[seat] = Step::Done;
                }
                _ => continue,
            }
            anyone_moved = true;
            to_visit.push((steps, holder));
        }
        if !anyone_moved && steps.iter().any(|step| *step != Step::Done) {
            let waits: Vec<String> = (0..seats)
                .filter(|&seat| steps[seat] == Step::WantsSecond)
                .map(|seat| {
                    let (first, second) = orders[seat];
                    format!("philosopher {seat} holds fork {first} and waits for fork {second}")
                })
                .collect();
            return Some(waits.join(", "));
        }
    }
    None
}

#[test]
fn every_philosopher_uses_the_two_forks_beside_them() {
    for seats in 2..=6 {
        for seat in 0..seats {
            let (first, second) = fork_order(seat, seats);
            let mut got = [first, second];
            got.sort_unstable();
            let mut beside = [seat, (seat + 1) % seats];
            beside.sort_unstable();
            assert_eq!(
                got, beside,
                "at a table of {seats}, seat {seat} sits between forks {} and {} (the table is \
                 round: the last seat's second fork is fork 0), but fork_order gave \
                 ({first}, {second})",
                beside[0], beside[1]
            );
        }
    }
}

#[test]
fn no_schedule_can_deadlock() {
    for seats in 2..=6 {
        let stuck = find_deadlock(seats);
        assert!(
            stuck.is_none(),
            "at a table of {seats} the philosophers can deadlock: {}. Each one holds a fork \
             the next one needs, a cycle of waiting. Make everyone pick up forks in one \
             global order (for instance the lower-numbered fork first), so that such a \
             cycle cannot form.",
            stuck.unwrap_or_default()
        );
    }
}

#[test]
fn philosophers_eat_all_their_meals() {
    const MEALS: u64 = 2_000;
    let uses = within(
        GENEROUS,
        "five philosophers eating 2000 meals each",
        "Real threads hit the cycle of waiting that the lock order must rule out.",
        || dine(5, MEALS),
    );
    assert_eq!(
        uses,
        vec![2 * MEALS; 5],
        "each fork is shared by two philosophers eating {MEALS} meals each, so it should be \
         used {} times; does every meal lock both forks and count one use of each?",
        2 * MEALS
    );
}

#[test]
fn a_meal_holds_both_forks_at_once() {
    // Each fork counts its uses only while the philosopher's thread holds
    // two forks (the `Fork` probe checks it and panics otherwise), so a
    // meal that puts the first fork down before taking the second fails.
    let meal = within(
        GENEROUS,
        "two philosophers eating one meal each",
        "Two philosophers and two forks cannot deadlock with one global fork order.",
        || std::panic::catch_unwind(|| dine(2, 1)),
    );
    let uses = meal.unwrap_or_else(|_| {
        panic!(
            "a meal counted a fork's use while holding only one fork (see the message \
             above): it must hold both forks at once. Picking them up one at a time and \
             putting each down before taking the other avoids deadlock only by never \
             really eating; keep the first guard alive while you lock the second."
        )
    });
    assert_eq!(
        uses,
        vec![2, 2],
        "two philosophers, one meal each, both using forks 0 and 1"
    );
}
