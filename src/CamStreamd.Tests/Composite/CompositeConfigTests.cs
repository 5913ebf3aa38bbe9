using CamStreamd.Configuration;
using CamStreamd.Hosting;

namespace CamStreamd.Tests.Composite;

/// <summary>The composite keys: every bad value fails naming its key (exit 78 through check-config), and a good one loads.</summary>
public class CompositeConfigTests
{
    // JSON written with ' for " to keep the table readable.
    private const string Cam = "{'name':'cam','source':{'type':'testPattern','width':640,'height':360}}";

    public static TheoryData<string, string> BadComposites => new()
    {
        { Mix("'inputs':[]"), "streams[1].source.inputs: at least one input is required for a composite" },
        { Mix(string.Empty), "streams[1].source.inputs: at least one input is required for a composite" },
        { Mix("'inputs':[{'x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0]: needs exactly one of \"url\" (a camera to pull) and \"stream\"" },
        { Mix("'inputs':[{'url':'rtsp://h/x','stream':'cam','x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0]: needs exactly one of" },
        { Mix("'inputs':[{'stream':'nope','x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].stream: unknown stream \"nope\"" },
        { Mix("'inputs':[{'stream':'MIX','x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].stream: a composite cannot show itself (got \"MIX\")" },
        { Mix("'inputs':[{'url':'http://h/x','x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].url: must be an rtsp:// URL (got \"http://h/x\")" },
        { Mix("'inputs':[{'url':'rtsp://h/x','transport':'quic','x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].transport: must be one of tcp, udp (got \"quic\")" },
        { Mix("'inputs':[{'url':'rtsp://h/x','fit':'cover','x':0,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].fit: must be one of stretch, contain (got \"cover\")" },
        { Mix("'inputs':[{'url':'rtsp://h/x','y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].x: required (or set \"layout\": \"grid\" on the source)" },
        { Mix("'inputs':[{'url':'rtsp://h/x','x':1,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].x: must be an even number of pixels, 0 or more (got 1)" },
        { Mix("'inputs':[{'url':'rtsp://h/x','x':0,'y':-2,'width':320,'height':180}]"), "streams[1].source.inputs[0].y: must be an even number of pixels, 0 or more (got -2)" },
        { Mix("'inputs':[{'url':'rtsp://h/x','x':0,'y':0,'width':321,'height':180}]"), "streams[1].source.inputs[0].width: must be an even number of pixels above 0 (got 321)" },
        { Mix("'inputs':[{'url':'rtsp://h/x','x':0,'y':0,'width':320,'height':0}]"), "streams[1].source.inputs[0].height: must be an even number of pixels above 0 (got 0)" },
        { Mix("'inputs':[{'url':'rtsp://h/x','x':1000,'y':0,'width':320,'height':180}]"), "streams[1].source.inputs[0].width: the tile ends at x 1320, outside the 1280x720 canvas" },
        { Mix("'inputs':[{'url':'rtsp://h/x','x':0,'y':600,'width':320,'height':180}]"), "streams[1].source.inputs[0].height: the tile ends at y 780, outside the 1280x720 canvas" },
        { Mix("'layout':'grid','inputs':[{'url':'rtsp://h/x','x':0}]"), "streams[1].source.inputs[0].x: not allowed with \"layout\": \"grid\"" },
        { Mix("'layout':'mosaic','inputs':[{'url':'rtsp://h/x'}]"), "streams[1].source.layout: must be \"grid\" or absent (got \"mosaic\")" },
        { Mix("'layout':'grid','holdSeconds':-1,'inputs':[{'url':'rtsp://h/x'}]"), "streams[1].source.holdSeconds: must be between 1 and 3600 (got -1)" },
        { Mix("'layout':'grid','background':'#12345','inputs':[{'url':'rtsp://h/x'}]"), "streams[1].source.background: must be #RRGGBB or one of" },
        { Mix("'layout':'grid','inputs':[{'url':'rtsp://h/x','name':'a b'}]"), "streams[1].source.inputs[0].name: must be 1 to 64 characters" },
        { Mix("'layout':'grid','inputs':[{'url':'rtsp://h/x','colour':1}]"), "streams[1].source.inputs[0].colour: unknown key" },
        { "{'streams':[{'name':'a','source':{'type':'testPattern','inputs':[]}}]}", "streams[0].source.inputs: only for source.type \"composite\"" },
        {
            "{'streams':[" + Cam
                + ",{'name':'a','source':{'type':'composite','layout':'grid','inputs':[{'stream':'cam'},{'stream':'b'}]}}"
                + ",{'name':'b','source':{'type':'composite','layout':'grid','inputs':[{'stream':'c'}]}}"
                + ",{'name':'c','source':{'type':'composite','layout':'grid','inputs':[{'stream':'a'}]}}]}",
            "streams[3].source.inputs[0].stream: composites form a loop (a -> b -> c -> a)"
        },
    };

    [Theory]
    [MemberData(nameof(BadComposites))]
    public void A_bad_composite_is_rejected_naming_the_key(string json, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json.Replace('\'', '"')));
        Assert.Contains(e.Errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_config_exits_78_naming_the_key_of_a_tile_outside_the_canvas()
    {
        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-composite-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Mix("'inputs':[{'url':'rtsp://h/x','x':1000,'y':0,'width':320,'height':180}]").Replace('\'', '"'));
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(ExitCodes.Config, ConfigCheck.Run(path, output, error));
            Assert.Contains("streams[1].source.inputs[0].width:", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_good_composite_loads_with_its_defaults_and_its_input_password_is_redacted()
    {
        var result = ConfigLoader.Parse(Mix("'inputs':[{'url':'rtsp://u:pw@h/x','password':'pw2','x':0,'y':0,'width':640,'height':360,'fit':'contain'},{'stream':'cam','x':640,'y':0,'width':640,'height':360}]").Replace('\'', '"'));

        var source = result.Options.Streams[1].Source;
        Assert.Equal(10, source.HoldSeconds);
        Assert.Equal("black", source.Background);
        Assert.Equal(2, source.Inputs!.Count);
        Assert.Equal("tcp", source.Inputs[0].Transport);
        Assert.Equal("stretch", source.Inputs[1].Fit);
        Assert.Empty(result.Notices);
        Assert.Equal([new CompositeRect(0, 0, 640, 360), new CompositeRect(640, 0, 640, 360)], CompositeLayout.Resolve(source));
        var printed = ConfigLoader.ToJson(result.Options);
        Assert.DoesNotContain("pw", printed, StringComparison.Ordinal);
        Assert.Contains("rtsp://u:***@h/x", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "0,0,1280,720")]
    [InlineData(2, "0,0,640,720 640,0,640,720")]
    [InlineData(3, "0,0,640,360 640,0,640,360 0,360,640,360")]
    [InlineData(4, "0,0,640,360 640,0,640,360 0,360,640,360 640,360,640,360")]
    [InlineData(9, "0,0,416,240 416,0,432,240 848,0,432,240 0,240,416,240 416,240,432,240 848,240,432,240 0,480,416,240 416,480,432,240 848,480,432,240")]
    public void The_grid_tiles_the_canvas_evenly_on_aligned_even_edges(int count, string expected)
    {
        var tiles = CompositeLayout.ComputeGrid(count, 1280, 720);

        Assert.Equal(expected, string.Join(' ', tiles.Select(t => $"{t.X},{t.Y},{t.Width},{t.Height}")));
        Assert.All(tiles, t => Assert.True(t.X % 2 == 0 && t.Y % 2 == 0 && t.Width % 2 == 0 && t.Height % 2 == 0 && t.Width > 0 && t.Height > 0, t.ToString()));
        Assert.All(tiles, t => Assert.True(t.X + t.Width <= 1280 && t.Y + t.Height <= 720, t.ToString()));

        // No two tiles overlap, and the occupied cells cover count/cells of the canvas.
        for (var i = 0; i < tiles.Count; i++)
        {
            for (var j = i + 1; j < tiles.Count; j++)
            {
                var (a, b) = (tiles[i], tiles[j]);
                Assert.False(a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height, $"{a} overlaps {b}");
            }
        }
    }

    [Fact]
    public void A_grid_of_odd_sized_cells_still_has_even_edges()
    {
        var tiles = CompositeLayout.ComputeGrid(9, 100, 62);
        Assert.All(tiles, t => Assert.True(t.X % 2 == 0 && t.Y % 2 == 0 && t.Width % 2 == 0 && t.Height % 2 == 0, t.ToString()));
        Assert.Equal(100, tiles[2].X + tiles[2].Width);
        Assert.Equal(62, tiles[8].Y + tiles[8].Height);
    }

    private static string Mix(string source) =>
        "{'streams':[" + Cam + ",{'name':'mix','source':{'type':'composite','width':1280,'height':720" + (source.Length > 0 ? "," + source : string.Empty) + "}}]}";
}
