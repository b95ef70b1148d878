// Temporary until the markup parser lands.
public enum MarkupParser {
    public static func referencedMessages(in body: String) -> [(roomID: Int, messageID: String)] { [] }
    public static func referencedFileIDs(in body: String) -> [Int] { [] }
}
