using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CnnDsl.Generator.Emit;

/// <summary>C# names derived from layer paths: <c>features.0</c> becomes the field
/// <c>_features_0</c> and the property <c>Features_0</c>.</summary>
public static class Identifiers
{
    private static readonly HashSet<string> Keywords = new()
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>A type name: the model's own name, escaped if it is a C# keyword.</summary>
    public static string TypeName(string name) => Keywords.Contains(name) ? "@" + name : name;

    public static string Field(string path) => "_" + string.Join("_", path.Split('.').Select(Word));

    /// <summary>A path that starts with a number (a Sequential index) gets the prefix "Layer".</summary>
    public static string Property(string path)
    {
        var name = string.Join("_", path.Split('.').Select(Word).Select(segment => segment.Length == 0 ? segment : char.ToUpperInvariant(segment[0]) + segment.Substring(1)));
        return name.Length > 0 && char.IsDigit(name[0]) ? "Layer" + name : name;
    }

    /// <summary>A label's characters that C# does not allow in a name (the '-' of RegNet's
    /// `block1-0`) become '_'.</summary>
    private static string Word(string segment)
    {
        var text = new StringBuilder(segment.Length);
        foreach (var c in segment) text.Append(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' ? c : '_');
        return text.ToString();
    }

    /// <summary>Hint names for AddSource allow only a few characters.</summary>
    public static string HintSafe(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name) text.Append(char.IsLetterOrDigit(c) || c == '_' || c == '-' ? c : '_');
        return text.ToString();
    }
}
