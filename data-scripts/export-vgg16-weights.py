#!/usr/bin/env python3
"""Export torchvision's VGG-16 state dict in the binary format that TorchSharp's Module.load reads.

The file contains every tensor of ``torchvision.models.vgg16`` (or ``vgg16_bn``) under torchvision's
names, including the 1,000-class layer ``classifier.6``. TorchVision for .NET builds the full model and
rejects a file whose entry count differs from its state dict. With ``skipfc: true`` it reads
``classifier.6`` and then discards it.

Format, as read by TorchSharp 0.107.0 (``Module.load`` in src/TorchSharp/NN/Module.cs and
``TensorExtensionMethods.Load`` in src/TorchSharp/Tensor/TensorExtensionMethods.cs). Every integer is
unsigned LEB128 (7 bits a byte, least significant group first, high bit set on all but the last byte):

* The number of entries.
* For each entry, its name as .NET's ``BinaryReader.ReadString`` reads it (the LEB128 byte count of
  the UTF-8 text, then the text), followed by the tensor: the element type code (TorchSharp's
  ``ScalarType``, the same numbers as ``c10::ScalarType``), the number of dimensions, each dimension,
  and the elements in C order as raw little-endian bytes.

Needs Python 3, PyTorch and torchvision. Tested with Debian 12's python3-torch 1.13 and
python3-torchvision 0.14.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

import torch
import torchvision

# TorchSharp's ScalarType codes (src/TorchSharp/Tensor/Tensor.cs) for the dtypes that have one.
SCALAR_TYPE_CODES = {
    torch.uint8: 0,
    torch.int8: 1,
    torch.int16: 2,
    torch.int32: 3,
    torch.int64: 4,
    torch.float16: 5,
    torch.float32: 6,
    torch.float64: 7,
    torch.complex64: 9,
    torch.complex128: 10,
    torch.bool: 11,
    torch.bfloat16: 15,
}

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent

# The reference input: torch.manual_seed(0) then torch.rand with this shape, in [0, 1).
REFERENCE_INPUT_SEED = 0
REFERENCE_INPUT_SHAPE = (2, 3, 224, 224)


def encode_leb128(value):
    """Encode a non-negative integer as unsigned LEB128, as TorchSharp's LEB128Codec.Encode does."""
    if value < 0:
        raise ValueError(f"LEB128 here encodes only non-negative integers, got {value}.")

    encoded = bytearray()
    while True:
        low_bits = value & 0x7F
        value >>= 7
        if value == 0:
            encoded.append(low_bits)
            return bytes(encoded)
        encoded.append(low_bits | 0x80)


def tensor_bytes(tensor):
    """Return a CPU tensor's elements in C order as little-endian bytes."""
    tensor = tensor.detach().cpu().contiguous()

    # numpy has no bfloat16, so its 2-byte patterns travel as int16.
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)

    array = tensor.numpy()
    return array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()


def write_tensor(stream, name, tensor):
    """Write one state-dict entry: the name, then the tensor's type code, shape and data."""
    code = SCALAR_TYPE_CODES.get(tensor.dtype)
    if code is None:
        supported = ", ".join(str(dtype) for dtype in SCALAR_TYPE_CODES)
        raise ValueError(f"State-dict entry '{name}' has dtype {tensor.dtype}, which TorchSharp cannot load. Supported: {supported}.")

    encoded_name = name.encode("utf-8")
    stream.write(encode_leb128(len(encoded_name)))
    stream.write(encoded_name)

    stream.write(encode_leb128(code))
    stream.write(encode_leb128(tensor.dim()))
    for size in tensor.shape:
        stream.write(encode_leb128(size))
    stream.write(tensor_bytes(tensor))


def write_state_dict(path, state_dict):
    """Write a state dict in TorchSharp's format, through a temporary file so an interrupted run leaves no partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(encode_leb128(len(state_dict)))
            for name, tensor in state_dict.items():
                write_tensor(stream, name, tensor)

        # mkstemp creates the file readable by its owner only, so give it the permissions that open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary_name, 0o666 & ~umask)
        os.replace(temporary_name, path)
    except BaseException:
        os.unlink(temporary_name)
        raise


def build_random_model(architecture, seed):
    """Build the model with torchvision's initialisation under a fixed seed, then randomise biases and BatchNorm.

    torchvision starts every bias at 0 and every BatchNorm at the identity, so a loader that mixed up those
    tensors would go unnoticed. Small random values, drawn from the same seeded generator, make every tensor count.
    """
    torch.manual_seed(seed)
    model = create_model(architecture, pretrained=False)

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
                module.bias.uniform_(-0.1, 0.1)
            elif isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.1, 0.1)
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
    return model


def create_model(architecture, pretrained):
    """Build torchvision's model, with ImageNet weights when pretrained is true.

    torchvision 0.13 and later name the weights with an enum (``weights=``). Its URL's file name ends in the
    start of the file's SHA-256, which ``check_hash`` verifies on download. Older releases take ``pretrained=``.
    """
    builder = getattr(torchvision.models, architecture)
    weights_enum_name = {"vgg16": "VGG16_Weights", "vgg16_bn": "VGG16_BN_Weights"}[architecture]
    weights_enum = getattr(torchvision.models, weights_enum_name, None)

    if weights_enum is None:
        # NOTE: no test runs this branch, because Debian 12's torchvision 0.14 has the enum.
        return builder(pretrained=pretrained)

    model = builder(weights=None)
    if pretrained:
        weights = weights_enum.IMAGENET1K_V1
        cache_folder = Path(torch.hub.get_dir()) / "checkpoints"
        print(f"Loading {architecture} ImageNet weights from {weights.url} (cache folder: {cache_folder})", flush=True)
        try:
            state_dict = torch.hub.load_state_dict_from_url(weights.url, progress=True, check_hash=True)
        except (OSError, RuntimeError) as error:
            # OSError covers network failures (URLError), and RuntimeError is torch.hub's hash mismatch.
            raise SystemExit(
                f"error: downloading {weights.url} failed: {error}. Check the network connection, or copy the file "
                f"into {cache_folder} (TORCH_HOME sets that folder's parent) and run again."
            ) from error
        model.load_state_dict(state_dict)
    return model


def penultimate_features(model, images):
    """Compute what ReproKit's Vgg16.forward returns: features, average pool, flatten, classifier.0 to classifier.5."""
    x = model.features(images)
    x = torch.flatten(model.avgpool(x), 1)
    return model.classifier[:6](x)


def write_reference(path, model):
    """Write the reference input and the model's eval-mode penultimate features as raw little-endian float32."""
    torch.manual_seed(REFERENCE_INPUT_SEED)
    images = torch.rand(REFERENCE_INPUT_SHAPE, dtype=torch.float32)

    model.eval()
    with torch.no_grad():
        features = penultimate_features(model, images)

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(tensor_bytes(images))
        stream.write(tensor_bytes(features))
    print(f"Wrote the reference input {tuple(images.shape)} and features {tuple(features.shape)} to {path}", flush=True)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description="Write torchvision's VGG-16 state dict in TorchSharp's format, for ReproKit's --vgg-weights.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--pretrained",
        action="store_true",
        help="ImageNet weights, downloaded from PyTorch's servers into torch.hub's cache (about 550 MB). This is the default.",
    )
    source.add_argument(
        "--random-seed",
        type=int,
        metavar="N",
        help="Random weights from torch.manual_seed(N), without a download: torchvision's initialisation plus "
        "random biases and BatchNorm statistics. For tests. Needs --out.",
    )
    parser.add_argument("--bn", action="store_true", help="Export vgg16_bn (BatchNorm after each convolution) instead of vgg16.")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="Output file (default: data/weights/vgg16-imagenet.tsd, or vgg16_bn-imagenet.tsd with --bn, under the repository).",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        metavar="FILE",
        help="Also write, as raw little-endian float32 in C order, the input x (torch.manual_seed(0); "
        "torch.rand(2, 3, 224, 224)) followed by the model's eval-mode 2x4096 penultimate features of x.",
    )
    arguments = parser.parse_args(argv)

    if arguments.random_seed is not None:
        if arguments.random_seed < 0:
            parser.error(f"--random-seed must be 0 or greater, got {arguments.random_seed}.")
        if arguments.out is None:
            parser.error("--random-seed needs --out, so random weights are not written under the ImageNet file name.")

    if arguments.out is None:
        architecture = "vgg16_bn" if arguments.bn else "vgg16"
        arguments.out = REPOSITORY_ROOT / "data" / "weights" / f"{architecture}-imagenet.tsd"
    return arguments


def main(argv):
    arguments = parse_arguments(argv)
    architecture = "vgg16_bn" if arguments.bn else "vgg16"
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}", flush=True)

    if arguments.random_seed is None:
        model = create_model(architecture, pretrained=True)
        source = "ImageNet weights"
    else:
        model = build_random_model(architecture, arguments.random_seed)
        source = f"random weights, seed {arguments.random_seed}"

    state_dict = model.state_dict()
    write_state_dict(arguments.out, state_dict)
    size_mb = arguments.out.stat().st_size / 1e6
    print(f"Wrote {architecture} ({source}, {len(state_dict)} tensors, {size_mb:.1f} MB) to {arguments.out}", flush=True)

    if arguments.reference is not None:
        write_reference(arguments.reference, model)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
