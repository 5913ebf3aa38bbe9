namespace CamStreamd.Interop.Libc;

/// <summary>
/// What <see cref="SpanningSendArrays.Send"/> did: the messages it got past (sent, or refused and
/// skipped with the rest of their entry), whether any was refused (<see cref="SpanningSendArrays.IsRefused"/>
/// says which), whether a full buffer or a closed port stopped it before the end, and the
/// <c>sendmmsg</c> calls it made.
/// </summary>
internal readonly record struct SpanningSendResult(int SentUpTo, bool AnyRefused, bool Stopped, int Calls);
