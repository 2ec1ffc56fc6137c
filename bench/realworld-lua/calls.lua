-- Calls: recursion, varargs, closures and upvalues, tail calls, and a
-- stack overflow caught by pcall (Lua's errors unwind C frames by longjmp).
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
assert(fib(20) == 6765)

local function count(...) return select("#", ...), ... end
local n, a, b = count(1, nil, 3)
assert(n == 3 and a == 1 and b == nil)
assert(select(-1, 1, 2, 3) == 3)
assert(table.pack(count()).n == 1)

local function counter()
  local c = 0
  return function() c = c + 1; return c end, function() return c end
end
local inc, get = counter()
for _ = 1, 10 do inc() end
assert(get() == 10)

local function loop(i, acc) if i == 0 then return acc end return loop(i - 1, acc + i) end
assert(loop(100000, 0) == 5000050000)  -- a tail call: no stack growth

local function deep(i) return 1 + deep(i + 1) end
local ok, message = pcall(deep, 1)
assert(not ok and string.find(message, "stack overflow"), message)

-- C calling Lua calling C: string.gsub with a function replacement.
local s = string.gsub("abc", "%w", function(c) return string.upper(c) .. "." end)
assert(s == "A.B.C.")
assert(select(2, pcall(string.rep)) ~= nil)
print("OK calls")
