"""A clock the tests move by hand: `sleep` advances it, nothing really waits."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeClock:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Greenlets:
    """Workers as greenlets on a fake clock, as a run's workers share one thread: `sleep`
    parks the caller until the clock reaches its wake time, and the others run meanwhile."""

    clock: FakeClock = field(default_factory=FakeClock)
    _parked: list[tuple[float, int, object]] = field(default_factory=list)
    _hub: object = None

    def sleep(self, seconds: float) -> None:
        import greenlet

        self.clock.sleeps.append(seconds)
        me = greenlet.getcurrent()
        self._parked.append((self.clock.now + seconds, id(me), me))
        assert isinstance(self._hub, greenlet.greenlet)
        self._hub.switch()

    def run(self, *tasks: object) -> list[BaseException]:
        """Run the callables side by side until all end; return what they raised."""
        import greenlet

        errors: list[BaseException] = []

        def guarded(task: object) -> None:
            try:
                task()  # type: ignore[operator]
            except BaseException as exc:
                errors.append(exc)

        self._hub = greenlet.getcurrent()
        for task in tasks:
            runner = greenlet.greenlet(guarded)
            runner.switch(task)
        while self._parked:
            self._parked.sort(key=lambda parked: (parked[0], parked[1]))
            wake, _, waiting = self._parked.pop(0)
            self.clock.now = max(self.clock.now, wake)
            waiting.switch()  # type: ignore[attr-defined]
        return errors
