-- Chunks and the system: load with an environment, string.dump and load of
-- the binary chunk, files through io, os.time and os.date.
local env = {x = 5}
local f = assert(load("return x * 2", "chunk", "t", env))
assert(f() == 10)
local ok, e = load("return +", "bad")
assert(ok == nil and e:find("unexpected symbol"), e)
local function add(a, b) return a + b end
local dumped = string.dump(add)
assert(load(dumped, "dumped", "b")(2, 3) == 5)
local name = os.tmpname()
local file = assert(io.open(name, "w"))
for i = 1, 100 do file:write(i, "\n") end
file:close()
local total = 0
for line in io.lines(name) do total = total + tonumber(line) end
assert(total == 5050)
assert(os.remove(name))
assert(io.open(name) == nil)
local t = os.time({year = 2024, month = 2, day = 29, hour = 12})
assert(os.date("!%Y-%m-%d", t) == "2024-02-29" or os.date("%Y-%m-%d", t) == "2024-02-29")
assert(type(os.clock()) == "number")
assert(require("string") == string)
print("OK chunks")
