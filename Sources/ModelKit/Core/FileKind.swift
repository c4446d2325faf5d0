import Foundation

/// What kind of file system object a path is, from `stat` (symbolic links followed).
public enum FileKind {
    /// nil for a regular file (or a path that cannot be examined: reading it will say why);
    /// otherwise what it is: "folder", "FIFO", "socket", "character device", "block device".
    /// Reading a FIFO or a device could block forever or never end.
    public static func notRegular(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "folder"
        case S_IFIFO: return "FIFO"
        case S_IFSOCK: return "socket"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        default: return "special file"
        }
    }
}
