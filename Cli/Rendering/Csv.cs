using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnDsl.Cli.Rendering;

/// <summary>RFC 4180 CSV: a field is quoted when it holds a comma, a quote or a line break,
/// and quotes inside are doubled. Lines end with a line feed.</summary>
public static class Csv
{
    public static void WriteRow(TextWriter writer, IEnumerable<string> fields) =>
        writer.Write(string.Join(",", fields.Select(Field)) + "\n");

    public static string Field(string value) =>
        value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
