# hw/virtio_net - the virtio-net device model (docs/devices/virtio-net.md).
target_sources(ndisrt_hw PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/vnet.c
  ${CMAKE_CURRENT_LIST_DIR}/vnet_dev.c
  ${CMAKE_CURRENT_LIST_DIR}/vnet_irq.c
  ${CMAKE_CURRENT_LIST_DIR}/vnet_net.c
  ${CMAKE_CURRENT_LIST_DIR}/vnet_pci.c
  ${CMAKE_CURRENT_LIST_DIR}/vnet_regs.c
  ${CMAKE_CURRENT_LIST_DIR}/vnet_vq.c)
