"""`make bench`: run every benchmark and print its table."""

from benchmarks import bench_dashboard, bench_export, bench_pages, bench_submit

if __name__ == "__main__":
    bench_submit.main()
    bench_export.main()
    bench_pages.main()
    bench_dashboard.main()
