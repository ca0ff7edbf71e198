"""The machine note every tool writes under the key `"machine"`.

    {"cpu": {"model_name", "flags", "count"}, "onednn": {...}, "load": {"start", "end"},
     "nice": int, "peak_rss_mb": float, "versions": {"python", "tensorflow", "keras", "numpy", "platform"}}

`load.start` is /proc/loadavg when this module was first imported (tools import it at the top, before
TensorFlow), `load.end` and `peak_rss_mb` are taken when `machine_note()` is called (just before the
JSON is written). The CPU is shared with other jobs, so timings are read with the load beside them.
"""

import os
import platform
import resource
import sys

# The CPU features TensorFlow's oneDNN kernels dispatch on (bf16 and fp16 matmuls, AMX tiles).
TF_CPU_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16",
                "amx_int8")


def _loadavg():
    return [round(x, 2) for x in os.getloadavg()]


_LOAD_AT_START = _loadavg()


def _cpuinfo():
    model_name, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model_name = value.strip()
                elif key.strip() == "flags":
                    flags = set(value.split())
                    break
    except OSError:  # not Linux
        pass
    return {"model_name": model_name, "flags": [flag for flag in TF_CPU_FLAGS if flag in flags],
            "count": os.cpu_count()}


def _version(module):
    # Only what this process imported: a torch-only reference run reports no TensorFlow.
    loaded = sys.modules.get(module)
    return getattr(loaded, "__version__", None) if loaded else None


def machine_note():
    """The machine note of this process (see the module docstring)."""
    setting = os.environ.get("TF_ENABLE_ONEDNN_OPTS")
    return {
        "cpu": _cpuinfo(),
        # TensorFlow's default on x86 Linux is on; "0" turns the oneDNN kernels off.
        "onednn": {"TF_ENABLE_ONEDNN_OPTS": setting, "enabled": setting not in ("0", "false", "False")},
        "load": {"start": _LOAD_AT_START, "end": _loadavg()},
        "nice": os.nice(0),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "versions": {"python": platform.python_version(), "tensorflow": _version("tensorflow"),
                     "keras": _version("keras"), "numpy": _version("numpy"), "platform": platform.platform()},
    }
