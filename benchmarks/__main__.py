"""`make bench`: run every benchmark and print a table."""

from benchmarks import bench_submit

if __name__ == "__main__":
    bench_submit.main()
