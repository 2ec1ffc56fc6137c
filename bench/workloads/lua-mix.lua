-- A mixed Lua workload for pkguard's benchmark: recursion, strings,
-- closures, table sorting with a Lua comparator, errors caught by pcall
-- (longjmp inside the interpreter) and coroutines. Prints a checksum so that
-- every build can be checked to compute the same thing.
local scale = tonumber(arg and arg[1]) or 1

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local function strings(n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = string.format("%d:%x", i, i * 7) end
  local text = table.concat(parts, ",")
  local count = 0
  for _ in text:gmatch("%d+:") do count = count + 1 end
  return count + #text
end

local function sorting(n)
  local t = {}
  local seed = 42
  for i = 1, n do seed = (seed * 1103515245 + 12345) % 2147483648; t[i] = seed end
  table.sort(t, function(a, b) return a > b end)
  return t[1] % 1000 + t[n] % 1000
end

local function errors(n)
  local caught = 0
  for i = 1, n do
    local ok = pcall(function() if i % 3 == 0 then error("boom " .. i) end return i end)
    if not ok then caught = caught + 1 end
  end
  return caught
end

local function coroutines(n)
  local producer = coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
  local sum = 0
  for _ = 1, n do sum = sum + producer() end
  return sum
end

local checksum = 0
for _ = 1, scale do
  checksum = checksum + fib(22) + strings(3000) + sorting(4000) + errors(3000) + coroutines(3000)
end
print(string.format("lua-mix checksum %d", checksum))
