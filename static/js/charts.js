// The supervisors' charts: data from the json_script block, translated series names from data- attributes.
const d = JSON.parse(document.getElementById("chart-data").textContent);
const names = document.getElementById("chart-names").dataset;
const chart = id => echarts.init(document.getElementById(id));
chart("chart-daily").setOption({tooltip: {trigger: "axis"}, legend: {}, xAxis: {type: "category", data: d.days}, yAxis: {type: "value"},
  series: [{name: names.intake, type: "line", data: d.intake}, {name: names.breaches, type: "bar", data: d.breaches}]});
chart("chart-categories").setOption({tooltip: {}, series: [{type: "pie", radius: "65%", data: d.categories.map(([name, value]) => ({name, value}))}]});
chart("chart-heat").setOption({tooltip: {}, xAxis: {type: "category", data: d.heat_x}, yAxis: {type: "category", data: d.heat_y},
  visualMap: {min: 0, max: Math.max(1, ...d.heat.map(h => h[2])), calculable: true, orient: "horizontal", left: "center", bottom: 0},
  series: [{type: "heatmap", data: d.heat.map(([x, y, n]) => [d.heat_x.indexOf(x), d.heat_y.indexOf(y), n]), label: {show: true}}]});
chart("chart-rates").setOption({tooltip: {trigger: "axis"}, legend: {type: "scroll"}, xAxis: {type: "category", data: d.months}, yAxis: {type: "value", max: 1},
  series: d.rates.map(r => ({name: r.name, type: "line", data: r.values}))});
