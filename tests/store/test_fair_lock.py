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
