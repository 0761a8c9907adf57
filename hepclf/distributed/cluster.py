"""Connecting to a Dask cluster: an existing scheduler by its address, or a LocalCluster.

``connect('local')`` starts a :class:`distributed.LocalCluster` in this process (the embedded
default: one worker per core, one thread each); any other value is a scheduler address such as
``tcp://10.0.0.5:8786``, which must answer within ``timeout`` seconds or the call fails naming it.

>>> from hepclf.distributed import connect
>>> with connect("local", n_workers=1, processes=False) as client:
...     client.submit(sum, [1, 2, 3]).result()
6
"""

from __future__ import annotations

from typing import Any

__all__ = ["LOCAL", "connect", "require_dask"]

#: The scheduler value that starts a LocalCluster instead of connecting to one.
LOCAL = "local"


def require_dask() -> None:
    """Raise ImportError naming the extra unless dask.dataframe and distributed are installed.

    Raises
    ------
    ImportError
        ``dask.dataframe`` or ``distributed`` cannot be imported (the message says
        ``pip install 'hepclf[dask]'``).
    """
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("hepclf.distributed needs dask: pip install 'hepclf[dask]'") from error


def connect(
    scheduler: str = LOCAL,
    *,
    n_workers: int | None = None,
    processes: bool = True,
    memory_limit: str | int = "auto",
    timeout: float = 10.0,
) -> Any:
    """A :class:`distributed.Client` for ``scheduler`` ('local' or an address).

    Parameters
    ----------
    scheduler : str
        ``'local'`` starts a LocalCluster (closed with the client: use ``with connect() as
        client``); otherwise the address of a running scheduler (``tcp://host:8786``).
    n_workers, processes, memory_limit : LocalCluster options
        Workers (default: one per core) with one thread each, as processes or threads of this
        process, and each worker's memory limit. Ignored for an address.
    timeout : float
        Seconds to wait for a scheduler at an address.

    Raises
    ------
    ImportError
        dask or distributed is not installed (see :func:`require_dask`).
    TypeError
        ``scheduler`` is not a string, or is empty.
    ValueError
        No scheduler answers at the address (the message names it).
    """
    require_dask()
    from distributed import Client

    if not isinstance(scheduler, str) or not scheduler:
        raise TypeError(f"scheduler must be 'local' or an address, got {scheduler!r}")
    if scheduler == LOCAL:
        # a Client given cluster options starts its own LocalCluster and closes it with itself
        return Client(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=processes,
            memory_limit=memory_limit,
            dashboard_address=None,
        )
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise ValueError(
            f"scheduler: no Dask scheduler answers at {scheduler!r} within {timeout:g} s "
            f"({error}); "
            "start one (dask scheduler) or pass 'local'"
        ) from error
