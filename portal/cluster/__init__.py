"""The portal's shared state: in memory (one instance, the default) or in Redis (several).

:func:`connect` picks the backend from ``[cluster] redis_url``; see :mod:`.base`.
"""

from __future__ import annotations

from portal.cluster.base import Cluster, ClusterUnavailable, RoomEntry, queue_order

__all__ = ["Cluster", "ClusterUnavailable", "RoomEntry", "connect", "queue_order"]


async def connect(redis_url: str, *, instance: str = "") -> Cluster:
    """The backend for ``redis_url`` ("" = in memory), reached and announced; raises
    :class:`ClusterUnavailable` naming the URL when Redis does not answer."""
    if not redis_url:
        from portal.cluster.memory import MemoryCluster

        return MemoryCluster(instance=instance)
    from portal.cluster.redis import RedisCluster  # redis-py only on a clustered portal

    cluster = RedisCluster(redis_url, instance=instance)
    try:
        await cluster.start()
    except ClusterUnavailable:
        await cluster.client.aclose()
        raise
    return cluster
