namespace CnnDsl.Dsl.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}
