import Testing
@testable import ChatworkMarkup

/// The three renderers on representative bodies, against files in `Golden/`.
@Suite struct MarkupRendererGoldenTests {
    static let names = RendererFixtures.bodies.map(\.0)

    private func body(_ name: String) throws -> String {
        try #require(RendererFixtures.bodies.first { $0.0 == name }?.1)
    }

    @Test(arguments: names)
    func html(name: String) throws {
        let output = HTMLMarkupRenderer(context: RendererFixtures.context).render(body: try body(name))
        try GoldenFiles.check(output, name: "\(name).html")
    }

    @Test(arguments: names)
    func markdown(name: String) throws {
        let output = MarkdownMarkupRenderer(context: RendererFixtures.context).render(body: try body(name))
        try GoldenFiles.check(output, name: "\(name).md")
    }

    @Test(arguments: names)
    func plainText(name: String) throws {
        let output = PlainTextMarkupRenderer(context: RendererFixtures.context).render(body: try body(name))
        try GoldenFiles.check(output, name: "\(name).txt")
    }
}
