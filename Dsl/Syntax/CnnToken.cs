using Superpower.Display;

namespace CnnDsl.Dsl.Syntax;

public enum CnnToken
{
    None,

    [Token(Category = "identifier", Example = "conv")] Identifier,
    [Token(Category = "number", Example = "64")] Number,
    [Token(Category = "string", Example = "\"M\"")] String,
    [Token(Category = "input shape", Example = "3x224x224")] Shape,

    [Token(Category = "keyword", Example = "let")] Let,
    [Token(Category = "keyword", Example = "block")] Block,
    [Token(Category = "keyword", Example = "network")] Network,
    [Token(Category = "keyword", Example = "model")] Model,
    [Token(Category = "keyword", Example = "input")] Input,
    [Token(Category = "keyword", Example = "import")] Import,
    [Token(Category = "keyword", Example = "namespace")] Namespace,
    [Token(Category = "keyword", Example = "for")] For,
    [Token(Category = "keyword", Example = "in")] In,
    [Token(Category = "keyword", Example = "if")] If,
    [Token(Category = "keyword", Example = "else")] Else,
    [Token(Category = "keyword", Example = "repeat")] Repeat,
    [Token(Category = "keyword", Example = "and")] And,
    [Token(Category = "keyword", Example = "or")] Or,
    [Token(Category = "keyword", Example = "not")] Not,
    [Token(Category = "keyword", Example = "true")] True,
    [Token(Category = "keyword", Example = "false")] False,

    [Token(Example = "(")] LParen,
    [Token(Example = ")")] RParen,
    [Token(Example = "[")] LBracket,
    [Token(Example = "]")] RBracket,
    [Token(Example = "{")] LBrace,
    [Token(Example = "}")] RBrace,
    [Token(Example = ",")] Comma,
    [Token(Example = ":")] Colon,
    [Token(Example = ".")] Dot,
    [Token(Example = "->")] Arrow,
    [Token(Example = "==")] EqualEqual,
    [Token(Example = "!=")] NotEqual,
    [Token(Example = "<=")] LessEqual,
    [Token(Example = ">=")] GreaterEqual,
    [Token(Example = "<")] Less,
    [Token(Example = ">")] Greater,
    [Token(Example = "=")] Equals,
    [Token(Example = "+")] Plus,
    [Token(Example = "-")] Minus,
    [Token(Example = "*")] Star,
    [Token(Example = "/")] Slash,
    [Token(Example = "%")] Percent,
}
