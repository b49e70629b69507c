internal import CLapack

/// Facts about the BLAS library linked at run time, and its thread count.
public enum BLASConfiguration {
    /// OpenBLAS's build configuration string (version, options, the kernel target), e.g.
    /// `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64`.
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The CPU core type whose kernels OpenBLAS picked at load time (e.g. `Zen`, `Haswell`).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// Threads OpenBLAS uses for one large product (from `OPENBLAS_NUM_THREADS` or the core count).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the thread count for subsequent BLAS calls. Use 1 when Swift already parallelises the work.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be ≥ 1")
        openblas_set_num_threads(Int32(count))
    }
}
