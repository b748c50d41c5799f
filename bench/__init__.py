"""Benchmarks (`make bench`). Each module in bench/ with a ``BENCHMARKS`` dict name -> callable adds
benchmarks; each callable returns (ratio, details) measured side by side in one run."""
