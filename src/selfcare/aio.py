"""Using the library from ``async`` code (FastAPI, Starlette, Django's async views, aiohttp).

Every use case of the library blocks: password hashing takes a good part of a second on
purpose, and storage waits for SQLite or PostgreSQL. Called straight from an ``async
def``, it stops the event loop - every other request and every ``/health`` probe waits.
:class:`AsyncApp` runs each use case in a worker thread instead, and gives each worker
thread its own :class:`~selfcare.bootstrap.App` (the same storage, clock, ids, secrets,
notifier and policies, with unit-of-work objects of its own), so no unit of work is
ever used by two threads at once.

>>> import asyncio
>>> from datetime import UTC, datetime
>>> from selfcare.bootstrap import bootstrap
>>> from selfcare.testing.fakes import SequentialIds, SteppableClock
>>> app = bootstrap(clock=SteppableClock(datetime(2026, 3, 2, 8, tzinfo=UTC)),
...                 ids=SequentialIds("r"))
>>> async def main() -> str:
...     async with AsyncApp(app, max_workers=4) as portal:
...         started = await portal.run(lambda a: a.identity.start_registration(language="sv"))
...         # the same, naming the method and passing its arguments:
...         again = await portal.call(lambda a: a.identity.start_registration, language="fi")
...         return f"{started.unwrap().id} {again.unwrap().id}"
>>> asyncio.run(main())
'r-1 r-2'

See :doc:`/guides/async` for FastAPI and Django, and for which objects may be shared
between threads.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import ParamSpec, Self, TypeVar

from selfcare.bootstrap import App

__all__ = ["AsyncApp"]

T = TypeVar("T")
P = ParamSpec("P")

#: Worker threads when none are asked for. Each worker running Python code competes with
#: the event loop for the GIL, so a few keep the loop responsive (see the guide).
DEFAULT_WORKERS = 4


class AsyncApp:
    """The use cases of an :class:`~selfcare.bootstrap.App` as coroutines, each run in a
    worker thread with that thread's own units of work.

    Args:
        app: the application :func:`~selfcare.bootstrap.bootstrap` built at start-up.
            Each worker thread uses ``app.for_another_thread()``; ``app`` itself is
            never called from a worker, so the thread that built it may go on using it.
        max_workers: how many use cases run at once (the rest wait their turn without
            blocking the event loop). With PostgreSQL keep it at most the pool size.

    Thread safety: share one :class:`AsyncApp` between every task and request of the
    process (it is built for that); close it once, at shutdown. It is not for use across
    ``fork``: build it in the worker process.
    """

    def __init__(self, app: App, *, max_workers: int = DEFAULT_WORKERS) -> None:
        if max_workers < 1:
            msg = "max_workers must be at least 1"
            raise ValueError(msg)
        self._app = app
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="selfcare")

    @property
    def app(self) -> App:
        """The application the workers copy (its policies, notifier and storage)."""
        return self._app

    def _thread_app(self) -> App:
        app: App | None = getattr(self._local, "app", None)
        if app is None:
            app = self._app.for_another_thread()
            self._local.app = app
        return app

    def _in_worker(self, use_case: Callable[[App], T]) -> T:
        return use_case(self._thread_app())

    async def run(self, use_case: Callable[[App], T]) -> T:
        """Run ``use_case`` with a worker thread's application and return its result.

        ``use_case`` is called in the worker thread: do the blocking work inside it
        (``lambda app: app.identity.login(email, password)``), not before. Context
        variables (a request id for logging) are copied into the worker.

        Raises:
            Whatever ``use_case`` raises (a storage error, a wrong type), unchanged.
        """
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        work = functools.partial(context.run, self._in_worker, use_case)
        return await loop.run_in_executor(self._executor, work)

    async def call(
        self, method: Callable[[App], Callable[P, T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Call the use case ``method`` picks from a worker's application with
        ``args``: ``await portal.call(lambda a: a.authz.accept, token, account)``.
        Typed like the method itself.

        Raises:
            Whatever the method raises, unchanged.
        """
        return await self.run(lambda app: method(app)(*args, **kwargs))

    async def aclose(self) -> None:
        """Wait for the running use cases, stop the workers and close the storage."""
        await asyncio.get_running_loop().run_in_executor(None, self.close)

    def close(self) -> None:
        """Like :meth:`aclose`, from synchronous code (a shutdown hook)."""
        self._executor.shutdown(wait=True)
        self._app.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
