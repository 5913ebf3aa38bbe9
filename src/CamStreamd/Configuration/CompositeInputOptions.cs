namespace CamStreamd.Configuration;

/// <summary><c>streams[i].source.inputs[j]</c>: one tile of a composite stream.</summary>
/// <param name="Url"><c>url</c>: an <c>rtsp://</c> camera pulled with the RTSP client (exactly one of <c>url</c> and <c>stream</c>).</param>
/// <param name="Stream"><c>stream</c>: another configured stream of this daemon (its raw frames before encoding).</param>
/// <param name="Name"><c>name</c>: the label of the tile's NO SIGNAL card and of the API; default the stream's name, else <c>input{j}</c>.</param>
/// <param name="Transport"><c>transport</c>: <c>tcp</c> or <c>udp</c> (url inputs).</param>
/// <param name="Username"><c>username</c> for the camera (url inputs; wins over the URL's).</param>
/// <param name="Password"><c>password</c> for the camera; printed as <c>***</c>.</param>
/// <param name="X"><c>x</c>: left edge of the tile in the output, even (required without <c>layout</c>).</param>
/// <param name="Y"><c>y</c>: top edge, even.</param>
/// <param name="Width"><c>width</c>: tile width, even, positive.</param>
/// <param name="Height"><c>height</c>: tile height, even, positive.</param>
/// <param name="Fit"><c>fit</c>: <c>stretch</c> (fill the tile) or <c>contain</c> (aspect kept, letterboxed).</param>
public sealed record CompositeInputOptions(
    string? Url = null,
    string? Stream = null,
    string? Name = null,
    string Transport = "tcp",
    string? Username = null,
    string? Password = null,
    int? X = null,
    int? Y = null,
    int? Width = null,
    int? Height = null,
    string Fit = "stretch");
