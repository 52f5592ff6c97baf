"""The GON of `throughput` in PyTorch, timed the same way: images per second of one training epoch.

Run by hand (never by the build or the tests), with Debian's PyTorch:

    apt-get install python3-torch libopenblas0-pthread
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/gon_torch.py --threads 1 [--repeats 3] [--latent 32] [--images 2000]

Debian's PyTorch calls whatever libblas.so.3 the system provides: without OpenBLAS that is the reference BLAS (about a
tenth of the speed). On the project's 2-core machine one BLAS thread and one torch thread was PyTorch's fastest setting
(benchmarks/RESULTS.md, session 10).

Same model and step as MLGated's GradientOriginNetwork (Microsoft.ML.GatedLinear.Core/Gon): decoder
latent -> 256 -> 256 -> 784, ELU hidden layers, sigmoid output, weights N(0, 1/fan_in), zero biases; the latent of a
batch is minus the gradient of the summed squared reconstruction error at the origin, taken with create_graph=True so
the outer loss (summed squared error / batch size) differentiates through it (second order); Adam, lr 1e-3, batch 64,
float32. Rows are synthetic as in `throughput` (values in [0, 1)); speed does not depend on them. One untimed warm-up
epoch, then the best of --repeats timed epochs.
"""
import argparse
import time

import torch


def decoder(latent, hidden, out):
    sizes = [latent, *hidden, out]
    layers = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            linear.weight.normal_(0, sizes[i] ** -0.5)
            linear.bias.zero_()
        layers.append(linear)
        layers.append(torch.nn.ELU() if i + 2 < len(sizes) else torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def epoch(model, optimizer, images, latent, batch):
    for first in range(0, images.shape[0], batch):
        x = images[first:first + batch]
        origin = torch.zeros(x.shape[0], latent, requires_grad=True)
        inner = ((model(origin) - x) ** 2).sum()
        z = -torch.autograd.grad(inner, origin, create_graph=True)[0]
        outer = ((model(z) - x) ** 2).sum() / x.shape[0]
        optimizer.zero_grad()
        outer.backward()
        optimizer.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latent", type=int, default=32)
    parser.add_argument("--images", type=int, default=2000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    images = torch.rand(args.images, 784)
    best = float("inf")
    for run in range(args.repeats + 1):
        model = decoder(args.latent, [256, 256], 784)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        start = time.perf_counter()
        epoch(model, optimizer, images, args.latent, 64)
        seconds = time.perf_counter() - start
        if run > 0:
            best = min(best, seconds)
    print(f"PyTorch {torch.__version__}, {args.threads} thread(s): GON 784 -> latent {args.latent}, decoder [256, 256], "
          f"batch 64: {args.images / best:,.0f} images/s ({best * 1e6 / args.images:.0f} us each, best of {args.repeats})")


if __name__ == "__main__":
    main()
