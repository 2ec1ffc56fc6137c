-- Coroutines: resume and yield across Lua and C (table.sort's comparator
-- cannot yield; pcall inside a coroutine can), errors inside coroutines,
-- wrap, close and status.
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local sum = 0
for v in gen(1000) do sum = sum + v end
assert(sum == 500500)

local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
assert(select(2, coroutine.resume(co, 1, 2)) == 3)
assert(select(2, coroutine.resume(co, 10)) == 20)
assert(select(2, coroutine.resume(co, 3, 4)) == 7)
assert(coroutine.status(co) == "dead")

co = coroutine.create(function() pcall(function() coroutine.yield(1) end); error("late") end)
assert(coroutine.resume(co) == true)
local ok, e = coroutine.resume(co)
assert(not ok and e:find("late"), e)

ok, e = pcall(table.sort, {3, 2, 1}, function(a, b) coroutine.yield() end)
assert(not ok and e:find("yield"), e)

local closed = false
co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() closed = true end})
  coroutine.yield()
end)
coroutine.resume(co)
assert(coroutine.close(co) and closed)

-- Many live coroutines, each with its own Lua stack.
local cos = {}
for i = 1, 200 do
  cos[i] = coroutine.create(function() local s = 0; while true do s = s + coroutine.yield(s) end end)
  coroutine.resume(cos[i])
end
for round = 1, 5 do
  for i = 1, 200 do assert(select(2, coroutine.resume(cos[i], i)) == i * round) end
end
print("OK coroutines")
