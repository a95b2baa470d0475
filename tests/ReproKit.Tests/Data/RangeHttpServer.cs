using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ReproKit.Tests.Data;

/// <summary>
/// An HTTP server on 127.0.0.1 that serves the files of one folder and records every request. It honours a
/// single "bytes=N-" or "bytes=N-M" Range request with 206 (or 416 past the end) unless created with
/// <c>supportsRange: false</c>, because resume tests need both kinds of server and python3's http.server
/// (3.11) ignores Range. Stopped on dispose.
/// </summary>
internal sealed partial class RangeHttpServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly string directory;
    private readonly bool supportsRange;
    private readonly ConcurrentQueue<ServedRequest> requests = new();
    private readonly Task serveLoop;

    private RangeHttpServer(HttpListener listener, string directory, bool supportsRange, int port)
    {
        this.listener = listener;
        this.directory = Path.GetFullPath(directory);
        this.supportsRange = supportsRange;
        BaseUrl = $"http://127.0.0.1:{port}/";
        serveLoop = Task.Run(ServeAsync);
    }

    /// <summary>The server's address with a trailing slash, e.g. http://127.0.0.1:41234/.</summary>
    public string BaseUrl { get; }

    /// <summary>The requests received so far, in arrival order.</summary>
    public IReadOnlyList<ServedRequest> Requests => requests.ToArray();

    /// <summary>Starts serving <paramref name="directory"/> on a free port of 127.0.0.1.</summary>
    public static RangeHttpServer Start(string directory, bool supportsRange = true)
    {
        // HttpListener cannot bind port 0, so a port that was free a moment ago is tried, and another one when
        // a different process took it in between.
        const int Attempts = 20;
        HttpListenerException? lastError = null;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            int port = FindFreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new RangeHttpServer(listener, directory, supportsRange, port);
            }
            catch (HttpListenerException error)
            {
                lastError = error;
                listener.Close();
            }
        }

        throw new InvalidOperationException($"Could not bind an HTTP listener on 127.0.0.1 after {Attempts} attempts.", lastError);
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serveLoop.Wait(TimeSpan.FromSeconds(10));
    }

    private static int FindFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Respond(context));
        }
    }

    private void Respond(HttpListenerContext context)
    {
        HttpListenerResponse response = context.Response;
        string relativePath = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
        string? range = context.Request.Headers["Range"];
        (HttpStatusCode status, byte[] body, string? contentRange) = Prepare(relativePath, range);

        // Recorded before the response is sent, so a test that has seen the client finish also sees the request.
        requests.Enqueue(new ServedRequest(relativePath, range, (int)status));
        try
        {
            response.StatusCode = (int)status;
            if (contentRange is not null)
            {
                response.Headers["Content-Range"] = contentRange;
            }

            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
            response.Close();
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client closed the connection, so no response can be sent.
            response.Abort();
        }
    }

    private (HttpStatusCode Status, byte[] Body, string? ContentRange) Prepare(string relativePath, string? range)
    {
        string path = Path.GetFullPath(Path.Combine(directory, relativePath));
        if (!path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return (HttpStatusCode.NotFound, [], null);
        }

        byte[] content = File.ReadAllBytes(path);
        Match match = RangeHeader().Match(range ?? "");
        if (!supportsRange || !match.Success)
        {
            return (HttpStatusCode.OK, content, null);
        }

        long start = long.Parse(match.Groups[1].Value);
        long end = match.Groups[2].Success ? Math.Min(long.Parse(match.Groups[2].Value), content.Length - 1) : content.Length - 1;
        if (start >= content.Length || end < start)
        {
            return (HttpStatusCode.RequestedRangeNotSatisfiable, [], $"bytes */{content.Length}");
        }

        return (HttpStatusCode.PartialContent, content[(int)start..(int)(end + 1)], $"bytes {start}-{end}/{content.Length}");
    }

    [GeneratedRegex(@"^bytes=(\d+)-(\d+)?$")]
    private static partial Regex RangeHeader();

    /// <summary>One received request: the path below the served folder, its Range header if any, and the status sent.</summary>
    public sealed record ServedRequest(string Path, string? Range, int StatusCode);
}
