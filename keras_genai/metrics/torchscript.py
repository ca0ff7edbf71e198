"""Reads tensors and module attributes from a TorchScript zip without torch.

A TorchScript file (`torch.jit.save`) is a zip holding `<prefix>/data.pkl`,
a pickle of the module tree whose tensors point, via persistent ids, at raw
little-endian storages `<prefix>/data/<key>`. Unpickling it needs only stubs
for the `__torch__` module classes and for `torch._utils._rebuild_tensor_v2`.
"""

import collections
import pickle
import zipfile

import numpy as np

_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "BFloat16Storage": None,  # no numpy dtype; refused below with a clear message
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class _ScriptModule:
    """Stand-in for a pickled `__torch__` module: keeps its attribute dict."""

    def __setstate__(self, state):
        self.__dict__.update(state)


def _rebuild_tensor(storage, storage_offset, size, stride, *unused):
    """numpy view of `storage` honouring offset, shape and element strides."""
    size, stride = tuple(size), tuple(stride)
    if not size:
        return storage[storage_offset].copy()
    span = storage_offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if min(size) > 0 and span > storage.size:
        raise ValueError(
            f"Tensor of size {size}, stride {stride} at offset {storage_offset} overruns its "
            f"storage of {storage.size} elements; the TorchScript file is corrupt."
        )
    view = np.lib.stride_tricks.as_strided(
        storage[storage_offset:],
        shape=size,
        strides=tuple(s * storage.itemsize for s in stride),
        writeable=False,
    )
    return np.ascontiguousarray(view)


class _Unpickler(pickle.Unpickler):
    def __init__(self, archive, prefix, file):
        super().__init__(file)
        self.archive, self.prefix = archive, prefix
        self.storages = {}
        self.stub_classes = {}

    def find_class(self, module, name):
        if module.startswith("__torch__"):
            key = f"{module}.{name}"
            if key not in self.stub_classes:
                self.stub_classes[key] = type(name, (_ScriptModule,), {"torch_type": key})
            return self.stub_classes[key]
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in _STORAGE_DTYPES:
            return name
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if module == "torch.jit._pickle" and name.startswith("build_"):
            return lambda values: values
        raise pickle.UnpicklingError(
            f"Unexpected global {module}.{name} in a TorchScript pickle; only module "
            "attributes and plain tensors are supported."
        )

    def persistent_load(self, pid):
        kind, storage_type, key, _location, _numel = pid
        if kind != "storage":
            raise pickle.UnpicklingError(f"Unknown persistent id kind {kind!r}.")
        if key not in self.storages:
            dtype = _STORAGE_DTYPES[storage_type]
            if dtype is None:
                raise ValueError(f"{storage_type} tensors have no numpy dtype.")
            raw = self.archive.read(f"{self.prefix}/data/{key}")
            self.storages[key] = np.frombuffer(raw, np.dtype(dtype).newbyteorder("<"))
        return self.storages[key]


def _walk(module, path, tensors, attributes):
    plain = {}
    for name, value in vars(module).items():
        full = f"{path}.{name}" if path else name
        if isinstance(value, np.ndarray):
            tensors[full] = value
        elif isinstance(value, _ScriptModule):
            _walk(value, full, tensors, attributes)
        else:
            plain[name] = value
    plain["torch_type"] = module.torch_type
    attributes[path] = plain


def read_torchscript(path):
    """Tensors and module attributes of a TorchScript file, without torch.

    Returns:
        `(tensors, attributes)`: `tensors` maps dotted parameter names
        (`net.layers.mixed.conv.weight`) to numpy arrays in torch's layout;
        `attributes` maps each module's dotted path to its non-tensor
        attributes (`stride`, `padding`, `training`, ...) plus its
        `torch_type`.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise ValueError(f"{path!r} is not a TorchScript zip: {e}") from None
    with archive:
        pickles = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        if len(pickles) != 1:
            raise ValueError(f"{path!r} should hold one */data.pkl; found {pickles}.")
        prefix = pickles[0][: -len("/data.pkl")]
        with archive.open(pickles[0]) as f:
            root = _Unpickler(archive, prefix, f).load()
        tensors, attributes = {}, {}
        _walk(root, "", tensors, attributes)
    return tensors, attributes


def read_torchscript_code(path):
    """The TorchScript source files in the zip, `{name: text}`."""
    with zipfile.ZipFile(path) as archive:
        return {
            n: archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if "/code/" in n and n.endswith(".py")
        }
