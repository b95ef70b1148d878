/// The tool's version, stated in exports and reports.
public enum CWArchiveVersion {
    public static let string = "0.1.0"
}
