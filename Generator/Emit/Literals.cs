using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnDsl.Generator.Emit;

/// <summary>C# literals, always in the invariant culture: a dropout of 0.5 must never be
/// written 0,5 because the build machine runs under de-DE.</summary>
public static class Literals
{
    public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Tuple(long h, long w) => "(" + Int(h) + ", " + Int(w) + ")";

    public static string LongArray(IEnumerable<long> values) =>
        "new long[] { " + string.Join(", ", values.Select(Int)) + " }";

    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case var _ when c < ' ' || c > '~':
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }
}
