import ModelKit
public enum StrataMain { public static func main() {} }
