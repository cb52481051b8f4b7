package dev.shammah.local.hf;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads tensors from a model folder's safetensors files: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}. Each file is an 8-byte little-endian header length, a JSON header
 * (name → dtype, shape, data offsets) and the data. Tensors are memory-mapped one by one, so a file past 2 GiB
 * (DJL's own decoder keeps offsets as {@code int}) and a model larger than the heap both load; F32, F16 and BF16
 * are read as float32.
 */
public final class Safetensors {
    /** One tensor's place in a file. */
    public record Entry(String name, String dtype, long[] shape, Path file, long start, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Map<String, Entry> entries;

    private Safetensors(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static Safetensors open(Path dir) {
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        Map<String, Entry> all = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            TreeSet<String> shards = new TreeSet<>();
            try (JsonReader r = Json.createReader(new StringReader(Files.readString(index)))) {
                JsonObject map = r.readObject().getJsonObject("weight_map");
                if (map == null) {
                    throw new ModelFolderException(index + " has no weight_map");
                }
                map.values().forEach(v -> shards.add(((JsonString) v).getString()));
            } catch (IOException | RuntimeException e) {
                if (e instanceof ModelFolderException m) {
                    throw m;
                }
                throw new ModelFolderException(index + " is not readable (" + e.getMessage() + ")", e);
            }
            for (String shard : shards) {
                all.putAll(header(dir.resolve(shard)));
            }
        } else if (Files.isRegularFile(single)) {
            all.putAll(header(single));
        } else {
            throw new ModelFolderException("model.path " + dir + " has no model.safetensors (nor "
                    + "model.safetensors.index.json with shards)");
        }
        return new Safetensors(all);
    }

    /** One safetensors file (an adapter, a single-file model). */
    public static Safetensors openFile(Path file) {
        return new Safetensors(header(file));
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new ModelFolderException("The model's safetensors have no tensor " + name);
        }
        return e;
    }

    /** The tensor's values as float32, checked against {@code expected} (its shape in the HF layout). */
    public float[] floats(String name, long... expected) {
        Entry e = entry(name);
        if (!Arrays.equals(e.shape(), expected)) {
            throw new ModelFolderException("Tensor " + name + " in " + e.file().getFileName() + " has shape "
                    + Arrays.toString(e.shape()) + ", config.json implies "
                    + Arrays.toString(expected));
        }
        long n = e.elements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelFolderException("Tensor " + name + " has " + n + " values, more than one array holds");
        }
        int width = switch (e.dtype()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new ModelFolderException("Tensor " + name + " is " + e.dtype() + "; Shammah reads F32, "
                    + "F16 and BF16");
        };
        if (e.end() - e.start() != n * width) {
            throw new ModelFolderException("Tensor " + name + " in " + e.file().getFileName() + " has "
                    + (e.end() - e.start()) + " bytes of data, its shape and dtype need " + n * width);
        }
        float[] out = new float[(int) n];
        try (FileChannel ch = FileChannel.open(e.file(), StandardOpenOption.READ)) {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, e.start(), e.end() - e.start())
                    .order(ByteOrder.LITTLE_ENDIAN);
            switch (e.dtype()) {
                case "F32" -> b.asFloatBuffer().get(out);
                case "F16" -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Float.float16ToFloat(b.getShort(i * 2));
                    }
                }
                default -> {
                    // bfloat16 is the high half of a float32.
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                    }
                }
            }
        } catch (IOException ex) {
            throw new ModelFolderException("Cannot read " + e.file() + " (" + ex.getMessage() + ")", ex);
        }
        return out;
    }

    private static Map<String, Entry> header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFolderException("Missing model file " + file);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (len.hasRemaining() && ch.read(len) >= 0) {
                // read the whole length
            }
            long headerLength = len.flip().getLong();
            if (len.limit() < 8 || headerLength <= 0 || headerLength > 100_000_000 || headerLength + 8 > ch.size()) {
                throw new ModelFolderException(file + " is not a safetensors file (bad header length)");
            }
            ByteBuffer head = ByteBuffer.allocate((int) headerLength);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // read the whole header
            }
            JsonObject json;
            try (JsonReader r = Json.createReader(new StringReader(new String(head.array(),
                    StandardCharsets.UTF_8)))) {
                json = r.readObject();
            }
            long base = 8 + headerLength;
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> t : json.entrySet()) {
                if (t.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject o = t.getValue().asJsonObject();
                JsonArray shape = o.getJsonArray("shape");
                long[] dims = new long[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.getJsonNumber(i).longValue();
                }
                JsonArray offsets = o.getJsonArray("data_offsets");
                long start = base + offsets.getJsonNumber(0).longValue();
                long end = base + offsets.getJsonNumber(1).longValue();
                if (end < start || end > ch.size()) {
                    throw new ModelFolderException(file + ": tensor " + t.getKey() + " lies outside the file");
                }
                out.put(t.getKey(), new Entry(t.getKey(), o.getString("dtype"), dims, file, start, end));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFolderException m) {
                throw m;
            }
            throw new ModelFolderException(file + " is not a readable safetensors file (" + e.getMessage() + ")", e);
        }
    }
}
