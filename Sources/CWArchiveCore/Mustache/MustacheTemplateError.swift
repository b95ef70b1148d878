/// A syntax error in a template, with where it is. The kinds and positions are those swift-mustache
/// reports for the same text, so messages stay the same whichever engine renders.
struct MustacheTemplateError: Error, Sendable {
    enum Kind: Sendable, Equatable {
        case sectionCloseNameIncorrect
        case unfinishedName
        case expectedSectionEnd
        case invalidSetDelimiter
        case invalidConfigVariableSyntax
        case unrecognisedConfigVariable
        /// The text ends inside a tag (swift-mustache's `Parser.Error.overflow`).
        case overflow
        /// A construct this engine leaves to swift-mustache (transforms such as `{{first()}}`,
        /// template inheritance `{{< }}` / `{{$ }}`, dynamic partials `{{>* }}`): not an error
        /// for the user, the template set falls back.
        case unsupported(String)
    }

    /// Where in the text: 1-based line and column, and the text of that line.
    struct Location: Sendable, Equatable {
        let line: Int
        let column: Int
        let text: String
    }

    let kind: Kind
    let location: Location

    /// A sentence for the user (the same as `TemplateSet` gave for swift-mustache's errors).
    var explanation: String {
        switch kind {
        case .sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case .unfinishedName: return "a tag is not closed (missing `}}`)"
        case .expectedSectionEnd: return "a section is never closed (missing `{{/name}}`)"
        case .invalidSetDelimiter: return "bad set-delimiter tag"
        case .invalidConfigVariableSyntax: return "invalidConfigVariableSyntax"
        case .unrecognisedConfigVariable: return "unrecognisedConfigVariable"
        case .overflow: return "the template ends inside a tag (missing `}}`)"
        case .unsupported(let what): return "unsupported: \(what)"
        }
    }
}

extension MustacheTemplateError.Kind: Error {}
