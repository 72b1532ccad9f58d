"""The store's write lock is granted in arrival order, so a queued writer cannot be overtaken
again and again until it times out (a plain ``threading.Lock`` lets any waiter win)."""

from __future__ import annotations

import threading
import time

from luoshi.store.engine import FairLock


def _queued(lock: FairLock, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(lock._queue) < n:  # noqa: SLF001 - the waiters must really be in line before we go on
        assert time.monotonic() < deadline, "the waiter never queued"
        time.sleep(0.005)


def test_waiters_get_the_lock_in_the_order_they_asked() -> None:
    lock = FairLock()
    assert lock.acquire()
    order: list[int] = []

    def writer(k: int) -> None:
        assert lock.acquire(timeout=10)
        order.append(k)
        lock.release()

    threads = []
    for k in range(5):
        thread = threading.Thread(target=writer, args=(k,))
        thread.start()
        threads.append(thread)
        _queued(lock, k + 1)  # each asks after the one before
    lock.release()
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2, 3, 4]


def test_a_waiter_gives_up_at_its_timeout_and_leaves_the_line() -> None:
    lock = FairLock()
    assert lock.acquire()
    t0 = time.monotonic()
    assert lock.acquire(timeout=0.2) is False
    assert 0.15 < time.monotonic() - t0 < 5
    assert not lock._queue  # noqa: SLF001
    released_elsewhere = threading.Thread(target=lock.release)  # may be released by another thread
    released_elsewhere.start()
    released_elsewhere.join(5)
    assert lock.acquire(timeout=1)


def test_under_contention_with_timeouts_one_holder_at_a_time_and_free_at_the_end() -> None:
    """Waiters that time out while the lock is being handed to them (the race between a timeout
    and a release) either own it or leave the line: never two holders, never a lost lock."""
    lock = FairLock()
    holders: list[int] = []
    overlaps: list[int] = []
    got = [0]

    def worker(k: int) -> None:
        for _ in range(200):
            if lock.acquire(timeout=0.0005 * (k % 4)):
                holders.append(k)
                if len(holders) > 1:
                    overlaps.append(k)
                got[0] += 1
                holders.remove(k)
                lock.release()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert overlaps == []
    assert got[0] > 0
    assert not lock._queue  # noqa: SLF001
    assert lock.acquire(timeout=0)  # free again
