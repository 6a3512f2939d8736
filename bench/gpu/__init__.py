"""The GPU check and the training sweep, run on a lent CUDA machine through `bench/gpu/device.sh`."""
