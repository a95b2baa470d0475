#!/usr/bin/env python3
"""PyTorch side of the ReproKit benchmarks.

The .NET benchmark starts this script once as ``/usr/bin/python3 pytorch_peer.py serve`` and keeps
it running, so Python's start-up is never timed and kit and PyTorch measurements can alternate.
The protocol is JSON lines: one request object per line on stdin, one response object per line on
stdout. Every response has ``"ok"``. The response to a failed request is
``{"ok": false, "error": "..."}``, and the peer keeps serving. Logs and tracebacks go to stderr.

Requests:

``{"command": "hello", "threads": 2}``
    Sets the intra-op thread count and returns the versions of Python, PyTorch, torchvision,
    Pillow and NumPy, the BLAS library mapped into this process and ``torch.__config__.show()``.
``{"command": "train", "model": "compact", "width": 0.25, "image_size": 32, "head": "lmcl",
"scale": 16, "margin": 0.35, "classes": 10, "batch": 128, "warmup_steps": 3, "steps": 20,
"learning_rate": 0.001, "seed": 1, "channels_last": false}``
    Builds the network (``"compact"`` or ``"vgg16"``) with its head, runs the warm-up steps, times
    ``steps`` training steps on one random batch and returns ``images_per_second`` and ``seconds``.
    ``margin`` is in cosine units for ``lmcl`` and in radians for ``lmal``; ``softmax`` ignores it.
    With ``channels_last`` true, the model and the batch are converted to ``torch.channels_last``
    first, as ReproKit does on the CPU by default.
``{"command": "pipeline", "files": [...], "batch": 32, "workers": 2, "image_size": 224,
"warmup_epochs": 1, "epochs": 1, "seed": 1}``
    Runs epochs of a torch DataLoader with persistent workers over the JPEG files (Pillow
    decoding, then RandomResizedCrop, RandomHorizontalFlip, ToTensor and ImageNet Normalize):
    ``warmup_epochs`` untimed, which start the workers, then ``epochs`` timed. Returns the images
    per second of each timed epoch.
``{"command": "quit"}``
    Responds and exits.

The networks and heads are written from ReproKit's C# source (src/ReproKit/Models/CompactVgg16.cs,
src/ReproKit/Models/Vgg16.cs, src/ReproKit/Heads/) with the same layer order, initialisation and
head math, and one training step does what ReproKit's Trainer does.

Debian's python3-torch (1.13) calls the BLAS that update-alternatives selects for
``libblas.so.3-x86_64-linux-gnu``. The reference BLAS makes its linear layers many times slower
than OpenBLAS, so the benchmark preloads OpenBLAS for this process. ``hello`` reports which BLAS
file is mapped.
"""

import ctypes
import json
import math
import os
import platform
import subprocess
import sys
import time
import traceback

INSTALL_HINT = (
    "Install Debian's PyTorch and its dependencies: "
    "apt-get install python3-torch python3-torchvision python3-pil python3-numpy libopenblas0"
)

try:
    import numpy
    import PIL
    import torch
    import torch.nn.functional as F
    import torchvision
    from PIL import Image
    from torch import nn
    from torchvision import transforms
except ImportError as import_error:
    # The .NET side reads this line as the response to its first request.
    print(json.dumps({"ok": False, "error": f"Importing a module failed: {import_error}. {INSTALL_HINT}"}), flush=True)
    sys.exit(3)

# VGG-16's configuration "D": output channels of each convolution, 0 for a 2x2 max-pooling.
VGG16_CONFIGURATION = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# Same floor as ReproKit's MarginMath: keeps sin(theta) >= 1e-6 so its gradient stays finite at cos = +-1.
RADICAND_FLOOR = 1e-12


class CompactVgg16(nn.Module):
    """VGG-16 for small images: 13 conv-BatchNorm-ReLU blocks, ceil-mode pools, global average
    pooling and a Linear + BatchNorm1d embedding, every channel count multiplied by ``width``."""

    def __init__(self, width, embedding_size=128, input_channels=3):
        super().__init__()
        layers = []
        channels = input_channels
        for base_channels in VGG16_CONFIGURATION:
            if base_channels == 0:
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=True))
                continue

            out_channels = int(round(base_channels * width))
            layers.append(nn.Conv2d(channels, out_channels, kernel_size=3, padding=1, bias=False))
            layers.append(nn.BatchNorm2d(out_channels))
            layers.append(nn.ReLU(inplace=True))
            channels = out_channels

        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.embedding = nn.Sequential(nn.Linear(channels, embedding_size, bias=False), nn.BatchNorm1d(embedding_size))
        self.embedding_size = embedding_size

        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, images):
        x = self.features(images)
        x = self.avgpool(x).flatten(1)
        return self.embedding(x)


class Vgg16(nn.Module):
    """torchvision's vgg16 without its last layer (classifier.6): the embedding is the
    4,096-feature output of classifier.5."""

    def __init__(self):
        super().__init__()
        reference = torchvision.models.vgg16(weights=None)
        self.features = reference.features
        self.avgpool = reference.avgpool
        self.classifier = nn.Sequential(*list(reference.classifier.children())[:6])
        self.embedding_size = 4096

    def forward(self, images):
        x = self.features(images)
        x = self.avgpool(x).flatten(1)
        return self.classifier(x)


def clamp_cosine(cos_theta):
    return cos_theta.clamp(-1.0, 1.0)


def sin_from_cos(cos_theta):
    return (1.0 - cos_theta.square()).clamp_min(RADICAND_FLOOR).sqrt()


def plain_cosine():
    return clamp_cosine


def cosine_margin(margin):
    """LMCL (CosFace): target logit cos(theta) - m, m in cosine units."""

    def target_logit(cos_theta):
        return clamp_cosine(cos_theta) - margin

    return target_logit


def angular_margin(margin_radians):
    """LMAL (ArcFace): target logit cos(theta + m); past theta > pi - m the plain cosine shifted
    down by 1 - cos(m), which joins cos(theta + m) = -1 at theta = pi - m."""
    cos_margin = math.cos(margin_radians)
    sin_margin = math.sin(margin_radians)

    def target_logit(cos_theta):
        cos = clamp_cosine(cos_theta)
        sin = sin_from_cos(cos)
        with_margin = (cos * cos_margin) - (sin * sin_margin)
        past_limit = cos < -cos_margin
        shifted = cos - (1.0 - cos_margin)
        return torch.where(past_limit, shifted, with_margin)

    return target_logit


class SoftmaxHead(nn.Module):
    """Linear layer with bias; logits W x + b."""

    def __init__(self, embedding_size, classes):
        super().__init__()
        self.fc = nn.Linear(embedding_size, classes, bias=True)

    def forward(self, embedding, labels):
        return self.fc(embedding)


class NormalizedMarginHead(nn.Module):
    """Cosine classifier: logit s cos(theta_j) with features and class weights L2-normalised; in
    training the true class's cosine goes through the target-logit function first."""

    def __init__(self, embedding_size, classes, scale, target_logit):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(classes, embedding_size))
        nn.init.xavier_uniform_(self.weight)
        self.scale = scale
        self.target_logit = target_logit

    def forward(self, embedding, labels):
        x = F.normalize(embedding, p=2, dim=1)
        w = F.normalize(self.weight, p=2, dim=1)
        cos_theta = x.matmul(w.t())
        if not self.training or labels is None:
            return cos_theta * self.scale

        target = labels.view(-1, 1)
        target_cos = cos_theta.gather(1, target)
        target_logit = self.target_logit(target_cos)
        return cos_theta.scatter(1, target, target_logit) * self.scale


class ImageClassifier(nn.Module):
    def __init__(self, backbone, head):
        super().__init__()
        self.backbone = backbone
        self.head = head

    def forward(self, images, labels):
        return self.head(self.backbone(images), labels)


def create_head(request, embedding_size):
    kind = request["head"]
    classes = int(request["classes"])
    if kind == "softmax":
        return SoftmaxHead(embedding_size, classes)
    if kind == "lmcl":
        return NormalizedMarginHead(embedding_size, classes, float(request["scale"]), cosine_margin(float(request["margin"])))
    if kind == "lmal":
        return NormalizedMarginHead(embedding_size, classes, float(request["scale"]), angular_margin(float(request["margin"])))
    raise ValueError(f"unknown head '{kind}'; use softmax, lmcl or lmal")


def create_backbone(request):
    kind = request["model"]
    if kind == "compact":
        return CompactVgg16(float(request["width"]), embedding_size=128, input_channels=3)
    if kind == "vgg16":
        return Vgg16()
    raise ValueError(f"unknown model '{kind}'; use compact or vgg16")


def train_step(model, optimizer, images, labels):
    """Run one step as ReproKit's Trainer runs it, reading back the loss and the number of correct predictions."""
    # TorchSharp's zero_grad zeroes the gradients instead of dropping them, so this does too.
    optimizer.zero_grad(set_to_none=False)
    logits = model(images, labels)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    loss.item()
    (logits.argmax(1) == labels).sum().item()


def measure_training(request):
    torch.manual_seed(int(request.get("seed", 1)))
    backbone = create_backbone(request)
    model = ImageClassifier(backbone, create_head(request, backbone.embedding_size))
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=float(request["learning_rate"]), momentum=0.9, weight_decay=5e-4)

    batch = int(request["batch"])
    size = int(request["image_size"])
    images = torch.randn(batch, 3, size, size)
    labels = torch.randint(0, int(request["classes"]), (batch,))
    if request.get("channels_last", False):
        model = model.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)

    for _ in range(int(request["warmup_steps"])):
        train_step(model, optimizer, images, labels)

    steps = int(request["steps"])
    start = time.perf_counter()
    for _ in range(steps):
        train_step(model, optimizer, images, labels)
    seconds = time.perf_counter() - start

    return {"images_per_second": steps * batch / seconds, "seconds": seconds, "steps": steps}


class ImageFiles(torch.utils.data.Dataset):
    """The files in the given order, each opened as torchvision's ImageFolder opens images."""

    def __init__(self, paths, transform):
        self.paths = paths
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        with open(self.paths[index], "rb") as file:
            image = Image.open(file).convert("RGB")
        return self.transform(image), index % 10


def measure_pipeline(request):
    files = list(request["files"])
    if not files:
        raise ValueError("the request lists no image files")

    missing = [path for path in files if not os.path.isfile(path)]
    if missing:
        raise FileNotFoundError(f"{len(missing)} image file(s) were not found, the first is '{missing[0]}'")

    transform = transforms.Compose([
        transforms.RandomResizedCrop(int(request["image_size"])),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])
    workers = int(request["workers"])
    generator = torch.Generator()
    generator.manual_seed(int(request.get("seed", 1)))
    loader = torch.utils.data.DataLoader(
        ImageFiles(files, transform),
        batch_size=int(request["batch"]),
        shuffle=True,
        num_workers=workers,
        persistent_workers=workers > 0,
        generator=generator,
    )

    for _ in range(int(request.get("warmup_epochs", 0))):
        for _batch in loader:
            pass

    rates = []
    for _ in range(int(request.get("epochs", 1))):
        images = 0
        start = time.perf_counter()
        for batch, _labels in loader:
            images += batch.shape[0]
        rates.append(images / (time.perf_counter() - start))

    return {"images_per_second": rates, "images": len(files)}


def mapped_blas_files():
    """Returns the real paths of the BLAS and LAPACK libraries mapped into this process."""
    paths = set()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6:
                name = os.path.basename(fields[5])
                if "blas" in name or "lapack" in name:
                    paths.add(os.path.realpath(fields[5]))
    return sorted(paths)


def describe_blas(paths):
    """Names the BLAS in use: OpenBLAS with its build configuration, or the reference BLAS."""
    for path in paths:
        if "openblas" in path:
            try:
                library = ctypes.CDLL(path)
                library.openblas_get_config.restype = ctypes.c_char_p
                threads = library.openblas_get_num_threads()
                return f"OpenBLAS ({library.openblas_get_config().decode()}, {threads} threads) from {path}"
            except (OSError, AttributeError):
                return f"OpenBLAS from {path}"

    for path in paths:
        if "libblas.so" in path:
            return f"reference BLAS (netlib, single-threaded) from {path}"

    return "no BLAS library mapped"


def debian_package_version(package):
    """Return the installed Debian version of ``package``, or "unknown" where dpkg-query is missing or fails."""
    try:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, timeout=30, check=True)
        return result.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def hello(request):
    threads = int(request["threads"])
    torch.set_num_threads(threads)
    blas_files = mapped_blas_files()
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_package": debian_package_version("python3-torch"),
        "torchvision": torchvision.__version__,
        "pillow": PIL.__version__,
        "numpy": numpy.__version__,
        "threads": torch.get_num_threads(),
        "blas": describe_blas(blas_files),
        "blas_files": blas_files,
        "config": torch.__config__.show(),
        "preload": os.environ.get("LD_PRELOAD", ""),
    }


COMMANDS = {"hello": hello, "train": measure_training, "pipeline": measure_pipeline}


def respond(response):
    sys.stdout.write(json.dumps(response) + "\n")
    sys.stdout.flush()


def serve():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue

        try:
            request = json.loads(line)
            command = request.get("command")
            if command == "quit":
                respond({"ok": True})
                return

            handler = COMMANDS.get(command)
            if handler is None:
                raise ValueError(f"unknown command '{command}'; use one of {sorted(COMMANDS)} or quit")

            response = handler(request)
            response["ok"] = True
            respond(response)
        except Exception as error:  # noqa: BLE001 - every failure is returned to the caller, which decides
            traceback.print_exc(file=sys.stderr)
            respond({"ok": False, "error": f"{type(error).__name__}: {error}"})


def main():
    if len(sys.argv) != 2 or sys.argv[1] != "serve":
        print(__doc__, file=sys.stderr)
        print("Usage: pytorch_peer.py serve", file=sys.stderr)
        sys.exit(2)

    serve()


if __name__ == "__main__":
    main()
