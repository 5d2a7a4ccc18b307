using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CnnDsl.Generator.Emit;

/// <summary>C# names derived from layer paths: <c>features.0</c> becomes the field
/// <c>_features_0</c> and the property <c>Features_0</c>. These are the natural names;
/// <see cref="ClassMemberNames"/> makes them unique within a class.</summary>
public static class Identifiers
{
    /// <summary>C#'s reserved keywords, with the four undocumented ones (<c>__arglist</c>, ...):
    /// an identifier spelled like one of them needs an <c>@</c>.</summary>
    private static readonly HashSet<string> Keywords = new()
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        "__arglist", "__makeref", "__reftype", "__refvalue",
    };

    /// <summary>A name as C# must spell it: with <c>@</c> when it is a keyword.</summary>
    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>A type name: the model's own name, escaped if it is a C# keyword, and also when
    /// it is all lower-case ASCII, as every contextual keyword is (<c>record</c>, <c>file</c>,
    /// <c>required</c> cannot name a type unescaped).</summary>
    public static string TypeName(string name) =>
        Keywords.Contains(name) || name.All(c => c >= 'a' && c <= 'z') ? "@" + name : name;

    /// <summary>Whether C# reads the name as one identifier: a letter or '_' first, then letters,
    /// digits and '_' (ASCII and Unicode letters alike), and not a keyword unless escaped.</summary>
    public static bool IsIdentifier(string name)
    {
        var text = name.StartsWith("@", System.StringComparison.Ordinal) ? name.Substring(1) : name;
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_')) return false;
        if (!text.All(c => char.IsLetterOrDigit(c) || c == '_')) return false;
        return text.Length < name.Length || !Keywords.Contains(text);
    }

    /// <summary>A namespace as C# must spell it (keyword segments escaped: <c>Foo.@class.Bar</c>),
    /// or null when a segment is no identifier at all (<c>A B</c>, <c>A..B</c>, <c>1A</c>).</summary>
    public static string? Namespace(string name)
    {
        var segments = name.Split('.').Select(Escape).ToList();
        return segments.All(IsIdentifier) ? string.Join(".", segments) : null;
    }

    public static string Field(string path) => "_" + string.Join("_", path.Split('.').Select(Word));

    /// <summary>A path that starts with a number (a Sequential index) gets the prefix "Layer".</summary>
    public static string Property(string path)
    {
        var name = string.Join("_", path.Split('.').Select(Word).Select(segment => segment.Length == 0 ? segment : char.ToUpperInvariant(segment[0]) + segment.Substring(1)));
        return Escape(name.Length > 0 && char.IsDigit(name[0]) ? "Layer" + name : name);
    }

    /// <summary>A label's characters that C# does not allow in a name (the '-' of RegNet's
    /// `block1-0`) become '_'.</summary>
    private static string Word(string segment)
    {
        var text = new StringBuilder(segment.Length);
        foreach (var c in segment) text.Append(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' ? c : '_');
        return text.ToString();
    }

    /// <summary>Hint names for AddSource allow only a few characters. Letters, digits, '_' and
    /// '-' stay; any other character becomes '_', its code in hex and '_' (<c>my.net</c> gives
    /// <c>my_2E_net</c>, unlike <c>my_net</c>). Names can still meet (and Roslyn compares them
    /// ignoring case): <see cref="Pipeline.HintNames"/> makes a compilation's unique.</summary>
    public static string HintSafe(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c < 128 && (char.IsLetterOrDigit(c) || c == '-' || c == '_')) text.Append(c);
            else text.Append('_').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)).Append('_');
        }

        return text.ToString();
    }
}
